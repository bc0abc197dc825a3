"""The DynamoDB side of .ci/run's "DynamoDB for real" step, against moto's server.

`create TABLE` makes the quorum table; `check TABLE` reads the one record an execution of the
exported quorum wrote there, and requires what the mock file (tests/data/mocks/
quorum-export.mock.json) says: Process 2 failed, the quorum of 2 was met, and no process is
left "running".
"""

import os
import sys

import boto3


def connection():
    return {
        "endpoint_url": os.environ["DYNAMODB_ENDPOINT"],
        "region_name": os.environ.get("AWS_REGION", "us-east-1"),
    }


def table(name):
    return boto3.resource("dynamodb", **connection()).Table(name)


def create(name):
    boto3.client("dynamodb", **connection()).create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
    )


def check(name):
    items = table(name).scan()["Items"]
    assert len(items) == 1, f"one record, not {len(items)}"
    record = items[0]
    fates = {fate["name"]: fate["status"] for fate in record["fates"].values()}
    assert record["outcome"] == "quorum_met", record["outcome"]
    assert fates["Process 2"] == "failed", fates
    assert "running" not in fates.values(), fates
    assert int(record["succeeded"]) >= 2, record["succeeded"]
    print(f"the record: outcome {record['outcome']}, fates {fates}")


if __name__ == "__main__":
    {"create": create, "check": check}[sys.argv[1]](sys.argv[2])
