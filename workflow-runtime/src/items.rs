//! A Distributed Map's items and results: what its `ItemReader` read (a JSON array, JSON
//! Lines, or CSV with its header rules), its `ItemBatcher`'s batches, and the output its
//! `ResultWriter` makes (the AWS developer guide, "Map state in Distributed mode",
//! "ItemReader", "ItemBatcher", "ResultWriter").
//!
//! The reader's and writer's resources are answered locally ([`ItemIo`]): by a handler that
//! stands for the S3 object (its content as a string, or its items as an array) or by a mock.

use std::future::Future;
use std::pin::Pin;

use serde_json::{json, Map, Value};
use workflow_asl::errors;

use crate::Error;

/// A reader's or writer's answer, on its way.
pub type Answering<'a> = Pin<Box<dyn Future<Output = Result<Value, Error>> + Send + 'a>>;

/// What answers a Distributed Map's `ItemReader` and `ResultWriter` resources.
pub trait ItemIo: Sync {
    /// The reader's answer for the Map state `state`: the object's content (a string, read
    /// as the `ReaderConfig` says) or its items (an array), from `parameters`.
    fn read<'a>(&'a self, state: &'a str, resource: &'a str, parameters: Value) -> Answering<'a>;

    /// Writes the Map Run's results (`{"Parameters", "Results"}`) for the Map state `state`.
    fn write<'a>(&'a self, state: &'a str, resource: &'a str, results: Value) -> Answering<'a>;
}

/// No reader or writer: a Map with an `ItemReader` or `ResultWriter` fails with
/// `States.ItemReaderFailed` or `States.ResultWriterFailed`.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoItemIo;

impl ItemIo for NoItemIo {
    fn read<'a>(&'a self, state: &'a str, resource: &'a str, _: Value) -> Answering<'a> {
        let error = Error::new(
            errors::ITEM_READER_FAILED,
            format!("nothing answers the ItemReader `{resource}` of Map state `{state}`"),
        );
        Box::pin(std::future::ready(Err(error)))
    }

    fn write<'a>(&'a self, state: &'a str, resource: &'a str, _: Value) -> Answering<'a> {
        let error = Error::new(
            errors::RESULT_WRITER_FAILED,
            format!("nothing answers the ResultWriter `{resource}` of Map state `{state}`"),
        );
        Box::pin(std::future::ready(Err(error)))
    }
}

fn reader_failed(cause: String) -> Error {
    Error::new(errors::ITEM_READER_FAILED, cause)
}

/// The items a reader's answer holds, as its `ReaderConfig` says: an array as it is; a
/// string read as `InputType` `JSON` (an array), `JSONL` (one value per line) or `CSV` (each
/// row an object keyed by the header: the first row with `CSVHeaderLocation` `FIRST_ROW`,
/// the default, or `CSVHeaders` with `GIVEN`); then at most `MaxItems` of them.
///
/// # Errors
/// `States.ItemReaderFailed` when the answer does not read as its type says.
pub fn read_items(answer: Value, config: Option<&Value>) -> Result<Vec<Value>, Error> {
    let config = config.cloned().unwrap_or(Value::Null);
    let input_type = config["InputType"].as_str().unwrap_or("JSON");
    let mut items = match answer {
        Value::Array(items) => items,
        Value::String(text) => match input_type {
            "JSON" => match serde_json::from_str(&text) {
                Ok(Value::Array(items)) => items,
                Ok(other) => {
                    return Err(reader_failed(format!(
                        "a JSON item file holds an array, found {other}"
                    )))
                }
                Err(e) => return Err(reader_failed(format!("the JSON item file: {e}"))),
            },
            "JSONL" => text
                .lines()
                .filter(|line| !line.trim().is_empty())
                .enumerate()
                .map(|(i, line)| {
                    serde_json::from_str(line)
                        .map_err(|e| reader_failed(format!("JSON Lines line {}: {e}", i + 1)))
                })
                .collect::<Result<_, _>>()?,
            "CSV" => csv(&text, &config)?,
            other => {
                return Err(reader_failed(format!(
                    "no InputType `{other}` is read here"
                )))
            }
        },
        other => {
            return Err(reader_failed(format!(
                "an ItemReader answers with the items or the object's text, found {other}"
            )))
        }
    };
    if let Some(max) = config["MaxItems"].as_u64() {
        items.truncate(usize::try_from(max).unwrap_or(usize::MAX));
    }
    Ok(items)
}

/// CSV rows as objects keyed by the header; every value a string, as AWS gives them.
fn csv(text: &str, config: &Value) -> Result<Vec<Value>, Error> {
    let mut rows = text.lines().filter(|l| !l.is_empty()).map(fields);
    let header: Vec<String> = match config["CSVHeaderLocation"].as_str().unwrap_or("FIRST_ROW") {
        "GIVEN" => config["CSVHeaders"]
            .as_array()
            .map(|h| {
                h.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .ok_or_else(|| {
                reader_failed("`CSVHeaderLocation` `GIVEN` needs `CSVHeaders`".into())
            })?,
        _ => rows
            .next()
            .ok_or_else(|| reader_failed("the CSV file has no header row".into()))?,
    };
    rows.enumerate()
        .map(|(i, row)| {
            if row.len() != header.len() {
                return Err(reader_failed(format!(
                    "CSV row {} has {} fields where the header has {}",
                    i + 1,
                    row.len(),
                    header.len()
                )));
            }
            let object: Map<String, Value> = header
                .iter()
                .cloned()
                .zip(row.into_iter().map(Value::String))
                .collect();
            Ok(Value::Object(object))
        })
        .collect()
}

/// One CSV line's fields: commas separate them; a field in double quotes may hold commas, and
/// `""` inside it is one quote.
fn fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.trim_end_matches('\r').chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    out.push(field);
    out
}

/// Groups `items` as an `ItemBatcher` says: at most `MaxItemsPerBatch` items and at most
/// `MaxInputBytesPerBatch` bytes of JSON per batch (an item larger than that goes alone),
/// each batch `{"Items": [...]}`, with `"BatchInput"` when it is given (already filled).
#[must_use]
pub fn batches(items: Vec<Value>, batcher: &Value, batch_input: Option<&Value>) -> Vec<Value> {
    let max_items = batcher["MaxItemsPerBatch"]
        .as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .filter(|n| *n > 0)
        .unwrap_or(usize::MAX);
    let max_bytes = batcher["MaxInputBytesPerBatch"]
        .as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(usize::MAX);
    let mut out = Vec::new();
    let mut batch: Vec<Value> = Vec::new();
    let mut bytes = 0usize;
    let finish = |batch: Vec<Value>, out: &mut Vec<Value>| {
        let mut object = Map::new();
        if let Some(input) = batch_input {
            object.insert("BatchInput".into(), input.clone());
        }
        object.insert("Items".into(), Value::Array(batch));
        out.push(Value::Object(object));
    };
    for item in items {
        let size = item.to_string().len();
        if !batch.is_empty() && (batch.len() == max_items || bytes + size > max_bytes) {
            finish(std::mem::take(&mut batch), &mut out);
            bytes = 0;
        }
        bytes += size;
        batch.push(item);
    }
    if !batch.is_empty() {
        finish(batch, &mut out);
    }
    out
}

/// The output of a Distributed Map with a `ResultWriter`: the Map Run's ARN and where the
/// results were written (`ResultWriterDetails`: the bucket and the manifest's key), as AWS
/// gives it.
#[must_use]
pub fn map_run_output(map_run_arn: &str, parameters: &Value) -> Value {
    let prefix = parameters["Prefix"].as_str().unwrap_or_default();
    let run = map_run_arn.rsplit(':').next().unwrap_or_default();
    let key = if prefix.is_empty() {
        format!("{run}/manifest.json")
    } else {
        format!("{}/{run}/manifest.json", prefix.trim_end_matches('/'))
    };
    json!({
        "MapRunArn": map_run_arn,
        "ResultWriterDetails": {"Bucket": parameters["Bucket"], "Key": key},
    })
}

/// A `workflow!` Map's `reader` or `writer`: its handler, called on JSON.
#[derive(Debug)]
pub struct Answer<'h, H, M>(&'h H, std::marker::PhantomData<fn() -> M>);

/// `handler` as a Map's `reader` or `writer` (its marker type inferred from its shape).
pub fn answer<'h, H: crate::TaskHandler<M, D>, M, D>(
    handler: &'h H,
    _deps: &D,
) -> Answer<'h, H, M> {
    Answer(handler, std::marker::PhantomData)
}

/// What answers one of a Distributed Map's resources in generated code: a handler, or nothing.
pub trait Answers<D>: Sync {
    /// The handler's answer to `input`, or `None` when there is no handler.
    fn answer<'a>(&'a self, deps: &'a D, input: Value) -> Option<Answering<'a>>;
}

impl<D> Answers<D> for () {
    fn answer<'a>(&'a self, _: &'a D, _: Value) -> Option<Answering<'a>> {
        None
    }
}

impl<H, M, D> Answers<D> for Answer<'_, H, M>
where
    H: crate::TaskHandler<M, D>,
    M: 'static,
    D: Sync,
{
    fn answer<'a>(&'a self, deps: &'a D, input: Value) -> Option<Answering<'a>> {
        let handler = self.0;
        Some(Box::pin(async move {
            let input = H::decode(input)?;
            let no_context = || crate::TaskContext::new(Value::Null);
            crate::task::encode(handler.call_typed(deps, input, no_context).await?)
        }))
    }
}

/// A `workflow!` Distributed Map's `reader` and `writer` with the workflow's dependencies.
#[derive(Debug)]
pub struct ItemHandlers<'d, R, W, D> {
    reader: R,
    writer: W,
    deps: &'d D,
}

impl<'d, R, W, D> ItemHandlers<'d, R, W, D> {
    /// The reader and writer (each an [`Answer`], or `()` for none), called with `deps`.
    pub fn new(reader: R, writer: W, deps: &'d D) -> Self {
        Self {
            reader,
            writer,
            deps,
        }
    }
}

impl<R: Answers<D>, W: Answers<D>, D: Sync> ItemIo for ItemHandlers<'_, R, W, D> {
    fn read<'a>(&'a self, state: &'a str, resource: &'a str, parameters: Value) -> Answering<'a> {
        match self.reader.answer(self.deps, parameters.clone()) {
            Some(answer) => answer,
            None => NoItemIo.read(state, resource, parameters),
        }
    }

    fn write<'a>(&'a self, state: &'a str, resource: &'a str, results: Value) -> Answering<'a> {
        match self.writer.answer(self.deps, results.clone()) {
            Some(answer) => answer,
            None => NoItemIo.write(state, resource, results),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The AWS developer guide, "ItemReader": a CSV file's first row names the fields
    // (`FIRST_ROW`, the default) or `CSVHeaders` does (`GIVEN`); each row is an object of
    // strings; JSON Lines is one item per line; `MaxItems` caps the items.
    #[test]
    fn items_are_read_as_the_reader_config_says() {
        let csv = "id,name\n1,\"Ada, Countess\"\n2,\"say \"\"hi\"\"\"\n";
        let items = read_items(json!(csv), Some(&json!({"InputType": "CSV"}))).unwrap();
        assert_eq!(
            items,
            vec![
                json!({"id": "1", "name": "Ada, Countess"}),
                json!({"id": "2", "name": "say \"hi\""})
            ]
        );
        let given = json!({"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["a", "b"], "MaxItems": 1});
        assert_eq!(
            read_items(json!("1,2\n3,4"), Some(&given)).unwrap(),
            vec![json!({"a": "1", "b": "2"})]
        );
        let lines = read_items(
            json!("{\"a\":1}\n\n[2]\n"),
            Some(&json!({"InputType": "JSONL"})),
        );
        assert_eq!(lines.unwrap(), vec![json!({"a": 1}), json!([2])]);
        let e = read_items(json!("{}"), None).unwrap_err();
        assert_eq!(e.name(), errors::ITEM_READER_FAILED);
    }

    // "ItemBatcher": each batch is `{"BatchInput", "Items"}`, at most `MaxItemsPerBatch`
    // items and `MaxInputBytesPerBatch` bytes.
    #[test]
    fn items_are_batched_by_count_and_bytes() {
        let items: Vec<Value> = (0..5).map(Value::from).collect();
        let out = batches(
            items.clone(),
            &json!({"MaxItemsPerBatch": 2}),
            Some(&json!({"run": 1})),
        );
        assert_eq!(
            out,
            vec![
                json!({"BatchInput": {"run": 1}, "Items": [0, 1]}),
                json!({"BatchInput": {"run": 1}, "Items": [2, 3]}),
                json!({"BatchInput": {"run": 1}, "Items": [4]})
            ]
        );
        let by_bytes = batches(items, &json!({"MaxInputBytesPerBatch": 3}), None);
        assert_eq!(by_bytes.len(), 2, "{by_bytes:?}");
        assert_eq!(by_bytes[0], json!({"Items": [0, 1, 2]}));
    }
}
