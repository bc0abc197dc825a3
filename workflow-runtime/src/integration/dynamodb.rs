//! DynamoDB, for real: `arn:aws:states:::dynamodb:putItem`, `getItem`, `updateItem` and
//! `deleteItem` Tasks answered by a DynamoDB API through the AWS SDK for Rust (the `aws`
//! feature).
//!
//! As the AWS Step Functions developer guide's "Perform DynamoDB CRUD operations with Step
//! Functions" describes the integration: the Task's parameters are the API's request in
//! PascalCase with DynamoDB's typed attribute values (`{"S": "text"}`, `{"N": "1"}`,
//! `{"M": {...}}`...), and its result is the API's response in the same shape (`Item` for
//! `getItem`, `Attributes` when `ReturnValues` asks for them) with the `SdkHttpMetadata` and
//! `SdkResponseMetadata` Step Functions adds. An error DynamoDB returns is named
//! `DynamoDB.` and its code (`DynamoDB.ConditionalCheckFailedException`), its message the
//! cause; one the SDK raises before DynamoDB answers (no connection, no credentials) is
//! `DynamoDB.SdkClientException`.
//!
//! The endpoint, region and credentials are the SDK's: its environment variables
//! (`AWS_ENDPOINT_URL`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`...) and profiles, or an endpoint
//! given to [`DynamoDb::from_env`] (`asl run --aws-endpoint URL`), as for DynamoDB Local or
//! moto's server.

use std::collections::HashMap;

/// The AWS SDK for Rust's DynamoDB client crate, for what this integration does not do (a
/// table to create, an item to read back in a test).
pub use aws_sdk_dynamodb as sdk;

use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata};
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};
use aws_sdk_dynamodb::Client;
use base64::Engine as _;
use serde_json::{json, Map, Value};
use workflow_asl::{Integration, Pattern};

use super::service::{Call, Service};
use crate::Error;

/// The APIs this integration runs.
const APIS: [&str; 4] = ["putItem", "getItem", "updateItem", "deleteItem"];

/// DynamoDB through the AWS SDK for Rust: a [`Service`] for the `dynamodb:*Item` Tasks.
#[derive(Debug, Clone)]
pub struct DynamoDb {
    client: Client,
}

impl DynamoDb {
    /// DynamoDB through `client`.
    #[must_use]
    pub fn new(client: Client) -> Self {
        Self { client }
    }

    /// DynamoDB as the SDK's environment configures it (endpoint, region, credentials),
    /// at `endpoint` when one is given; the region is `us-east-1` when nothing sets one.
    pub async fn from_env(endpoint: Option<&str>) -> Self {
        let region = aws_config::meta::region::RegionProviderChain::default_provider()
            .or_else(aws_config::Region::new("us-east-1"));
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest()).region(region);
        if let Some(endpoint) = endpoint {
            loader = loader.endpoint_url(endpoint);
        }
        Self::new(Client::new(&loader.load().await))
    }

    /// The SDK client.
    #[must_use]
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Calls `api` (`putItem`, `getItem`, `updateItem` or `deleteItem`) with a Task's
    /// `parameters`, as the integration does: what the handler of a `workflow!` Task on
    /// `arn:aws:states:::dynamodb:API` returns, with this service in the workflow's `deps`.
    ///
    /// # Errors
    /// As the integration: `DynamoDB.<code>`, `DynamoDB.ValidationException` for a malformed
    /// request, `DynamoDB.SdkClientException` when DynamoDB did not answer.
    pub async fn request(&self, api: &str, parameters: Value) -> Result<Value, Error> {
        call(&self.client, api, parameters).await
    }
}

impl Service for DynamoDb {
    fn name(&self) -> &str {
        "DynamoDB"
    }

    fn answers(&self, integration: &Integration<'_>) -> bool {
        integration.service == "dynamodb"
            && integration.pattern == Pattern::RequestResponse
            && APIS.contains(&integration.api)
    }

    fn call(&self, integration: Integration<'_>, parameters: Value) -> Call {
        let client = self.client.clone();
        let api = integration.api.to_owned();
        Box::pin(async move { call(&client, &api, parameters).await })
    }
}

/// One call of `api` with the Task's `parameters`.
async fn call(client: &Client, api: &str, parameters: Value) -> Result<Value, Error> {
    let Value::Object(mut p) = parameters else {
        return Err(invalid(format!(
            "the parameters of dynamodb:{api} are not an object"
        )));
    };
    let table = text(&mut p, "TableName")?;
    let condition = optional_text(&mut p, "ConditionExpression")?;
    let names = names(&mut p)?;
    let values = attributes(&mut p, "ExpressionAttributeValues")?;
    let returns = optional_text(&mut p, "ReturnValues")?.map(|r| ReturnValue::from(r.as_str()));
    let (response, attributes) = match api {
        "putItem" => {
            let item = attributes(&mut p, "Item")?;
            refuse_others(api, &p)?;
            let out = client
                .put_item()
                .table_name(table)
                .set_item(item)
                .set_condition_expression(condition)
                .set_expression_attribute_names(names)
                .set_expression_attribute_values(values)
                .set_return_values(returns)
                .send()
                .await
                .map_err(failure)?;
            (request_id(&out), ("Attributes", out.attributes().cloned()))
        }
        "getItem" => {
            let key = attributes(&mut p, "Key")?;
            let consistent = p.remove("ConsistentRead").and_then(|c| c.as_bool());
            let projection = optional_text(&mut p, "ProjectionExpression")?;
            refuse_others(api, &p)?;
            let out = client
                .get_item()
                .table_name(table)
                .set_key(key)
                .set_consistent_read(consistent)
                .set_projection_expression(projection)
                .set_expression_attribute_names(names)
                .send()
                .await
                .map_err(failure)?;
            (request_id(&out), ("Item", out.item().cloned()))
        }
        "updateItem" => {
            let key = attributes(&mut p, "Key")?;
            let update = optional_text(&mut p, "UpdateExpression")?;
            refuse_others(api, &p)?;
            let out = client
                .update_item()
                .table_name(table)
                .set_key(key)
                .set_update_expression(update)
                .set_condition_expression(condition)
                .set_expression_attribute_names(names)
                .set_expression_attribute_values(values)
                .set_return_values(returns)
                .send()
                .await
                .map_err(failure)?;
            (request_id(&out), ("Attributes", out.attributes().cloned()))
        }
        "deleteItem" => {
            let key = attributes(&mut p, "Key")?;
            refuse_others(api, &p)?;
            let out = client
                .delete_item()
                .table_name(table)
                .set_key(key)
                .set_condition_expression(condition)
                .set_expression_attribute_names(names)
                .set_expression_attribute_values(values)
                .set_return_values(returns)
                .send()
                .await
                .map_err(failure)?;
            (request_id(&out), ("Attributes", out.attributes().cloned()))
        }
        other => {
            return Err(Error::new(
                workflow_asl::errors::RUNTIME,
                format!("dynamodb:{other} is not an API this integration runs"),
            ))
        }
    };
    let (field, attributes) = attributes;
    let mut result = Map::new();
    if let Some(attributes) = attributes {
        result.insert(field.to_owned(), Value::Object(to_json(&attributes)));
    }
    let length = Value::Object(result.clone()).to_string().len();
    let request_id = response.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    for (k, v) in super::sdk_metadata(&request_id, "application/x-amz-json-1.0", length, &[]) {
        result.insert(k, v);
    }
    Ok(Value::Object(result))
}

fn request_id<O: aws_sdk_dynamodb::operation::RequestId>(out: &O) -> Option<String> {
    out.request_id().map(str::to_owned)
}

/// A malformed request: DynamoDB's own name for one.
fn invalid(cause: String) -> Error {
    Error::new("DynamoDB.ValidationException", cause)
}

fn text(p: &mut Map<String, Value>, field: &str) -> Result<String, Error> {
    optional_text(p, field)?.ok_or_else(|| invalid(format!("`{field}` is required")))
}

fn optional_text(p: &mut Map<String, Value>, field: &str) -> Result<Option<String>, Error> {
    match p.remove(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(invalid(format!("`{field}` must be text, not {other}"))),
    }
}

fn names(p: &mut Map<String, Value>) -> Result<Option<HashMap<String, String>>, Error> {
    let Some(names) = p.remove("ExpressionAttributeNames") else {
        return Ok(None);
    };
    let Value::Object(names) = names else {
        return Err(invalid(
            "`ExpressionAttributeNames` must map names to text".into(),
        ));
    };
    names
        .into_iter()
        .map(|(k, v)| match v {
            Value::String(v) => Ok((k, v)),
            other => Err(invalid(format!(
                "`ExpressionAttributeNames` maps `{k}` to {other}, not text"
            ))),
        })
        .collect::<Result<_, _>>()
        .map(Some)
}

/// A map of attribute values (`Item`, `Key`, `ExpressionAttributeValues`).
fn attributes(
    p: &mut Map<String, Value>,
    field: &str,
) -> Result<Option<HashMap<String, AttributeValue>>, Error> {
    match p.remove(field) {
        None => Ok(None),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| Ok((k.clone(), from_json(v, &format!("{field}.{k}"))?)))
            .collect::<Result<_, Error>>()
            .map(Some),
        Some(other) => Err(invalid(format!(
            "`{field}` must be a map of attribute values, not {other}"
        ))),
    }
}

fn refuse_others(api: &str, p: &Map<String, Value>) -> Result<(), Error> {
    match p.keys().next() {
        None => Ok(()),
        Some(field) => Err(Error::new(
            workflow_asl::errors::RUNTIME,
            format!(
                "the parameter `{field}` of dynamodb:{api} is not one this integration passes on"
            ),
        )),
    }
}

/// A typed attribute value from its JSON (`{"S": "text"}`).
fn from_json(value: &Value, at: &str) -> Result<AttributeValue, Error> {
    let bad = || invalid(format!("`{at}` is not a DynamoDB attribute value: {value}"));
    let Some((kind, inner)) = value
        .as_object()
        .filter(|o| o.len() == 1)
        .and_then(|o| o.iter().next())
    else {
        return Err(bad());
    };
    let strings = |v: &Value| -> Result<Vec<String>, Error> {
        v.as_array()
            .ok_or_else(bad)?
            .iter()
            .map(|s| s.as_str().map(str::to_owned).ok_or_else(bad))
            .collect()
    };
    let blob = |v: &Value| -> Result<Blob, Error> {
        let text = v.as_str().ok_or_else(bad)?;
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .map(Blob::new)
            .map_err(|_| bad())
    };
    Ok(match kind.as_str() {
        "S" => AttributeValue::S(inner.as_str().ok_or_else(bad)?.to_owned()),
        "N" => AttributeValue::N(inner.as_str().ok_or_else(bad)?.to_owned()),
        "B" => AttributeValue::B(blob(inner)?),
        "BOOL" => AttributeValue::Bool(inner.as_bool().ok_or_else(bad)?),
        "NULL" => AttributeValue::Null(inner.as_bool().ok_or_else(bad)?),
        "SS" => AttributeValue::Ss(strings(inner)?),
        "NS" => AttributeValue::Ns(strings(inner)?),
        "BS" => AttributeValue::Bs(
            inner
                .as_array()
                .ok_or_else(bad)?
                .iter()
                .map(blob)
                .collect::<Result<_, _>>()?,
        ),
        "L" => AttributeValue::L(
            inner
                .as_array()
                .ok_or_else(bad)?
                .iter()
                .enumerate()
                .map(|(i, v)| from_json(v, &format!("{at}[{i}]")))
                .collect::<Result<_, _>>()?,
        ),
        "M" => AttributeValue::M(
            inner
                .as_object()
                .ok_or_else(bad)?
                .iter()
                .map(|(k, v)| Ok((k.clone(), from_json(v, &format!("{at}.{k}"))?)))
                .collect::<Result<_, Error>>()?,
        ),
        _ => return Err(bad()),
    })
}

/// Attribute values as JSON, keys sorted (as the integration's JSON is).
fn to_json(map: &HashMap<String, AttributeValue>) -> Map<String, Value> {
    map.iter()
        .map(|(k, v)| (k.clone(), value_json(v)))
        .collect()
}

fn value_json(value: &AttributeValue) -> Value {
    let b64 = |b: &Blob| base64::engine::general_purpose::STANDARD.encode(b.as_ref());
    match value {
        AttributeValue::S(s) => json!({"S": s}),
        AttributeValue::N(n) => json!({"N": n}),
        AttributeValue::B(b) => json!({"B": b64(b)}),
        AttributeValue::Bool(b) => json!({"BOOL": b}),
        AttributeValue::Null(n) => json!({"NULL": n}),
        AttributeValue::Ss(s) => json!({"SS": s}),
        AttributeValue::Ns(n) => json!({"NS": n}),
        AttributeValue::Bs(bs) => json!({"BS": bs.iter().map(b64).collect::<Vec<_>>()}),
        AttributeValue::L(l) => json!({"L": l.iter().map(value_json).collect::<Vec<_>>()}),
        AttributeValue::M(m) => json!({"M": to_json(m)}),
        // A kind newer than this SDK: kept visible rather than dropped.
        _ => json!({"UNKNOWN": format!("{value:?}")}),
    }
}

/// The Task's error for an SDK error: DynamoDB's code when DynamoDB answered.
fn failure<E, R>(error: aws_sdk_dynamodb::error::SdkError<E, R>) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match error.code() {
        Some(code) => Error::new(
            format!("DynamoDB.{code}"),
            error.message().unwrap_or(code).to_owned(),
        ),
        None => Error::new(
            "DynamoDB.SdkClientException",
            DisplayErrorContext(&error).to_string(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The DynamoDB API reference, `AttributeValue`: each value is an object with one member
    // naming its type; binary values are base64 in JSON.
    #[test]
    fn attribute_values_round_trip_through_json() {
        let item = json!({"M": {
            "s": {"S": "text"}, "n": {"N": "1.5"}, "b": {"B": "AAEC"}, "t": {"BOOL": true},
            "z": {"NULL": true}, "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1"]},
            "bs": {"BS": ["AQ=="]}, "l": {"L": [{"S": "x"}, {"N": "2"}]}}});
        let value = from_json(&item, "Item").unwrap();
        assert_eq!(value_json(&value), item);
        for bad in [
            json!("text"),
            json!({"S": 1}),
            json!({"S": "a", "N": "1"}),
            json!({"X": "?"}),
            json!({"B": "%%"}),
        ] {
            let error = from_json(&bad, "Item.k").unwrap_err();
            assert_eq!(error.name(), "DynamoDB.ValidationException", "{bad}");
        }
    }
}
