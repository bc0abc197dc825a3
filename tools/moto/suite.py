"""Runs the conformance suite's cases in moto's Step Functions executor (PyPI `moto`).

Usage: python suite.py [--write | --check]

moto 5.2's executor does not load mock configurations (its `load_mock_test_case_for` returns
nothing), so only the cases that need no mocked Task run here; Waits are cut to nothing by
replacing its wait with no wait. The endings are printed, compared with (--check, which CI
runs) or written to (--write) tests/conformance/suite/GROUP.moto.json, which
tests/conformance_suite.rs compares with the specification's endings.
"""

import json
import sys
import time
from pathlib import Path

import boto3
from moto import mock_aws
from moto.core.config import default_user_config
from moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function import WaitFunction

# Waits pass at once: only endings are compared (as the other runners' virtual clocks do).
WaitFunction._wait_interval = lambda self, env, wait_seconds: None

ROOT = Path(__file__).resolve().parents[2] / "tests" / "conformance" / "suite"
ARN_ROLE = "arn:aws:iam::123456789012:role/suite"


def groups():
    return sorted(
        p.stem
        for p in ROOT.glob("*.json")
        if not any(p.name.endswith(s) for s in (".mock.json", ".expected.json", ".deviations.json", ".moto.json", ".moto-deviations.json"))
    )


def run_case(client, definition, case_input, name):
    arn = client.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ARN_ROLE)["stateMachineArn"]
    execution = client.start_execution(stateMachineArn=arn, input=json.dumps(case_input))["executionArn"]
    for _ in range(2000):
        described = client.describe_execution(executionArn=execution)
        if described["status"] != "RUNNING":
            break
        time.sleep(0.005)
    client.delete_state_machine(stateMachineArn=arn)
    if described["status"] == "SUCCEEDED":
        return {"status": "succeeded", "output": json.loads(described["output"])}
    return {"status": "failed", "error": described.get("error")}


@mock_aws
def main():
    default_user_config["stepfunctions"] = {"execute_state_machine": True}
    client = boto3.client("stepfunctions", region_name="us-east-1")
    write = "--write" in sys.argv
    check = "--check" in sys.argv
    stale = []
    for group in groups():
        suite = json.loads((ROOT / f"{group}.json").read_text())
        endings = {}
        for number, case in enumerate(suite["cases"]):
            if case.get("test_case"):
                continue
            definition = suite["definitions"][case["definition"]]
            endings[case["name"]] = run_case(client, definition, case["input"], f"{group}-{number}")
        text = json.dumps(endings, indent=2) + "\n"
        if check:
            recorded = json.loads((ROOT / f"{group}.moto.json").read_text())
            if recorded != endings:
                stale.append(group)
            print(f"{group}: {len(endings)} cases, {'current' if recorded == endings else 'STALE'}")
        elif write:
            (ROOT / f"{group}.moto.json").write_text(text)
            print(f"wrote tests/conformance/suite/{group}.moto.json ({len(endings)} cases)")
        else:
            print(f"// {group}\n{text}")
    if stale:
        sys.exit(f"moto's endings changed for {', '.join(stale)}: run suite.py --write and review")


if __name__ == "__main__":
    main()
