//! `asl`: check and run existing Amazon States Language definitions locally.
//!
//! ```text
//! asl validate DEF.asl.json
//! asl graph DEF.asl.json [--format mermaid|dot]
//! asl policy DEF.asl.json [--state-machine NAME]
//! asl run DEF.asl.json [--input FILE|-] [--mock-config FILE --test-case NAME
//!                      [--state-machine NAME]] [--child ARN=FILE]...
//!                      [--aws | --aws-endpoint URL] [--real-time]
//!                      [--max-payload-bytes N] [--max-history-events N]
//!                      [--history FILE] [--report FILE.html]
//! ```
//!
//! `validate` prints every problem with its JSON Pointer and exits 1 if there is one. `run`
//! prints the output JSON, or `{"Error", "Cause"}` with exit status 1. Task states answer from
//! the mock configuration's test case (the Step Functions Local format); a Task it does not
//! mock fails with `Workflow.NoHandler`. Waits, retry intervals and timeouts run on a virtual
//! clock, so a run returns at once, unless `--real-time` is given. Usage and file errors exit 2.
//!
//! What it reads is bounded by AWS's quotas: a definition of at most 1 MiB, an execution input
//! of at most 256 KiB; a mock configuration of at most 16 MiB. A run is bounded by AWS's
//! quotas too (`workflow_runtime::limits`): 256 KiB state inputs and outputs, 25,000 history
//! events. For a local run bigger than AWS would take, `--max-payload-bytes` raises the
//! payload quota (the execution input's included) and `--max-history-events` the history's. Paths need not be UTF-8. When standard output is closed early (`asl run ...
//! | head`), it stops quietly; any other failure to write is reported and exits 2.
//!
//! `--child ARN=FILE` (repeatable) runs the ASL in FILE as the child execution a
//! `states:startExecution` Task starts when its `StateMachineArn` is ARN; a test case of the
//! mock configuration for the child's state machine (its name is the ARN's last part) mocks
//! its Tasks.
//!
//! `--aws-endpoint URL` (or `--aws`, for the endpoint the AWS SDK's environment variables and
//! profiles configure) answers `dynamodb:putItem`, `getItem`, `updateItem` and `deleteItem`
//! Tasks with that DynamoDB API, for real, through the AWS SDK for Rust; Tasks a mock test
//! case names are still answered by the mock. It needs `asl` built with the `aws` feature.
//! Each call runs to its end while the execution waits, so no virtual time passes during it.
//!
//! `--history FILE` writes the execution's history as AWS's `GetExecutionHistory` returns it
//! (`{"events": [...]}`, timestamps on the run's clock: virtual unless `--real-time`), and
//! `--report FILE.html` its execution page (`workflow_runtime::report`), whether the execution
//! succeeded or failed.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::Value;
use workflow_runtime::asl::graph::{render, Format};
use workflow_runtime::asl::json_text::as_aws_reads;
use workflow_runtime::asl::{validate, Dialect, StateMachine};
use workflow_runtime::cli::Files;
use workflow_runtime::interpret::Interpreter;
use workflow_runtime::limits::Limits;
use workflow_runtime::mock::MockConfig;

const USAGE: &str = "usage: asl validate DEF.asl.json
       asl graph DEF.asl.json [--format mermaid|dot]
       asl policy DEF.asl.json [--state-machine NAME]
       asl run DEF.asl.json [--input FILE|-] [--mock-config FILE --test-case NAME [--state-machine NAME]] [--child ARN=FILE]... [--aws | --aws-endpoint URL] [--real-time] [--max-payload-bytes N] [--max-history-events N] [--history FILE] [--report FILE.html]";

/// AWS's largest state machine definition: 1 MiB.
const MAX_DEFINITION_BYTES: u64 = 1024 * 1024;
/// The largest mock configuration read (not an AWS quota: a bound on what is read).
const MAX_MOCK_CONFIG_BYTES: u64 = 16 * 1024 * 1024;

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let mut out = Vec::new();
    let code = match command(&args, &mut out) {
        Ok(code) => code,
        Err(message) => {
            say(&format!("asl: {message}"));
            ExitCode::from(2)
        }
    };
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(&out).and_then(|()| stdout.flush()) {
        Ok(()) => code,
        // Whoever read the output stopped reading (`asl run ... | head`): nothing to say.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => code,
        Err(e) => {
            say(&format!("asl: cannot write the output: {e}"));
            ExitCode::from(2)
        }
    }
}

/// A line on standard error, which may itself be closed: never a panic.
fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

fn command(args: &[OsString], out: &mut Vec<u8>) -> Result<ExitCode, String> {
    match args.first().and_then(|a| a.to_str()) {
        Some("validate") => {
            let [_, path] = args else {
                return Err(USAGE.to_owned());
            };
            validate_file(Path::new(path), out)
        }
        Some("run") => execute(&Run::parse(&args[1..])?, out),
        Some("graph") => graph(&args[1..], out),
        Some("policy") => policy(&args[1..], out),
        Some("-h" | "--help") => {
            let _ = writeln!(out, "{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        _ => Err(USAGE.to_owned()),
    }
}

/// The text of `path` (`-` for standard input), of at most `limit` bytes: what is larger is
/// refused after reading one byte past the limit, so that no input can fill the memory.
fn read(path: &Path, limit: u64, what: &str) -> Result<String, String> {
    let shown = path.display();
    let source: Box<dyn Read> = if path == Path::new("-") {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(path).map_err(|e| format!("cannot read `{shown}`: {e}"))?)
    };
    let mut bytes = Vec::new();
    source
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read `{shown}`: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "`{shown}` is larger than {limit} bytes, the most {what} may hold"
        ));
    }
    String::from_utf8(bytes).map_err(|e| format!("`{shown}` is not UTF-8 text: {e}"))
}

fn load(path: &Path) -> Result<StateMachine, String> {
    let text = read(path, MAX_DEFINITION_BYTES, "a definition (AWS's quota)")?;
    StateMachine::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// `asl graph DEF [--format mermaid|dot]`: the definition as a diagram (Mermaid unless told).
fn graph(args: &[OsString], out: &mut Vec<u8>) -> Result<ExitCode, String> {
    let (path, format) = match args {
        [path] => (path, Format::Mermaid),
        [path, option, name] | [option, name, path] if option == "--format" => {
            let name = name.to_string_lossy();
            let format = Format::named(&name)
                .ok_or_else(|| format!("`--format` is `mermaid` or `dot`, not `{name}`"))?;
            (path, format)
        }
        _ => return Err(USAGE.to_owned()),
    };
    let machine = load(Path::new(path))?;
    let _ = write!(out, "{}", render(&machine, format));
    Ok(ExitCode::SUCCESS)
}

/// `asl policy DEF [--state-machine NAME]`: the IAM policy the definition's execution role
/// needs; the resources it does not know are named on stderr.
fn policy(args: &[OsString], out: &mut Vec<u8>) -> Result<ExitCode, String> {
    let (path, name) = match args {
        [path] => (path, None),
        [path, option, name] | [option, name, path] if option == "--state-machine" => {
            (path, Some(name.to_string_lossy().into_owned()))
        }
        _ => return Err(USAGE.to_owned()),
    };
    let path = Path::new(path);
    let machine = load(path)?;
    // The state machine's name, for a Distributed Map's own executions: the file's name up to
    // its first dot, unless given.
    let name = name.unwrap_or_else(|| {
        let file = path.file_name().map(|f| f.to_string_lossy().into_owned());
        file.unwrap_or_default()
            .split('.')
            .next()
            .unwrap_or_default()
            .to_owned()
    });
    let policy = workflow_runtime::asl::policy::policy(&machine, &name);
    for unknown in &policy.unknown {
        say(&format!(
            "asl: no permissions are known for `{unknown}`: add them yourself"
        ));
    }
    let document = policy.to_json();
    let text = serde_json::to_string_pretty(&document).unwrap_or_else(|_| document.to_string());
    let _ = writeln!(out, "{text}");
    Ok(ExitCode::SUCCESS)
}

fn validate_file(path: &Path, out: &mut Vec<u8>) -> Result<ExitCode, String> {
    let machine = load(path)?;
    let problems = validate(&machine, Dialect::Asl);
    let path = path.display();
    for problem in &problems {
        let _ = writeln!(out, "{path}: {}: {}", problem.location, problem.message);
    }
    if problems.is_empty() {
        let _ = writeln!(out, "{path}: valid");
        Ok(ExitCode::SUCCESS)
    } else {
        let _ = writeln!(out, "{path}: {} problem(s)", problems.len());
        Ok(ExitCode::FAILURE)
    }
}

/// The options of `asl run`.
struct Run {
    definition: PathBuf,
    input: Option<PathBuf>,
    limits: Limits,
    mock_config: Option<PathBuf>,
    test_case: Option<String>,
    state_machine: Option<String>,
    real_time: bool,
    files: Files,
    /// `--child ARN=FILE`: the workflows `states:startExecution` Tasks start, by ARN.
    children: Vec<(String, PathBuf)>,
    /// `--aws` (the SDK's own endpoint) or `--aws-endpoint URL`: DynamoDB Tasks call it.
    aws: Option<Option<String>>,
}

impl Run {
    fn parse(args: &[OsString]) -> Result<Self, String> {
        let mut run = Self {
            definition: PathBuf::new(),
            input: None,
            limits: Limits::AWS,
            mock_config: None,
            test_case: None,
            state_machine: None,
            real_time: false,
            files: Files::default(),
            children: Vec::new(),
            aws: None,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = |name: &str| {
                args.next()
                    .cloned()
                    .ok_or_else(|| format!("`{name}` needs a value\n{USAGE}"))
            };
            // Names and test cases are text; paths may be any bytes the system allows.
            let text = |name: &str, value: OsString| {
                value
                    .into_string()
                    .map_err(|v| format!("`{name}` needs UTF-8 text, not {v:?}"))
            };
            match arg.to_str() {
                Some("--input") => run.input = Some(value("--input")?.into()),
                // `--max-input-bytes`: its name before the quota covered every payload.
                Some(option @ ("--max-payload-bytes" | "--max-input-bytes")) => {
                    let n = text(option, value(option)?)?;
                    let bytes = n
                        .parse()
                        .map_err(|_| format!("`{option}` needs a number of bytes, not `{n}`"))?;
                    run.limits = run.limits.payload_bytes(bytes);
                }
                Some("--max-history-events") => {
                    let n = text("--max-history-events", value("--max-history-events")?)?;
                    let events = n.parse().map_err(|_| {
                        format!(
                            "`--max-history-events` needs a number of events up to {}, not `{n}`",
                            u32::MAX
                        )
                    })?;
                    run.limits = run.limits.history_events(events);
                }
                Some("--mock-config") => run.mock_config = Some(value("--mock-config")?.into()),
                Some("--test-case") => {
                    run.test_case = Some(text("--test-case", value("--test-case")?)?);
                }
                Some("--state-machine") => {
                    run.state_machine = Some(text("--state-machine", value("--state-machine")?)?);
                }
                Some("--real-time") => run.real_time = true,
                Some("--aws") => run.aws = Some(run.aws.take().flatten()),
                Some("--aws-endpoint") => {
                    run.aws = Some(Some(text("--aws-endpoint", value("--aws-endpoint")?)?));
                }
                Some("--child") => {
                    let pair = text("--child", value("--child")?)?;
                    let (arn, file) = pair.split_once('=').ok_or_else(|| {
                        format!("`--child` needs `ARN=FILE` (the `StateMachineArn` a Task gives, and the child's ASL), not `{pair}`")
                    })?;
                    run.children.push((arn.to_owned(), file.into()));
                }
                Some(option @ ("--history" | "--report")) => {
                    let file = PathBuf::from(value(option)?);
                    let slot = if option == "--history" {
                        &mut run.files.history
                    } else {
                        &mut run.files.report
                    };
                    if slot.replace(file).is_some() {
                        return Err(format!("`{option}` is given twice\n{USAGE}"));
                    }
                }
                Some(other) if other.starts_with("--") => {
                    return Err(format!("unknown option `{other}`\n{USAGE}"))
                }
                _ if run.definition.as_os_str().is_empty() => run.definition = arg.into(),
                _ => {
                    return Err(format!(
                        "unexpected argument `{}`\n{USAGE}",
                        arg.to_string_lossy()
                    ))
                }
            }
        }
        if run.definition.as_os_str().is_empty() {
            return Err(USAGE.to_owned());
        }
        if run.mock_config.is_some() != run.test_case.is_some() {
            return Err(format!(
                "`--mock-config` and `--test-case` go together\n{USAGE}"
            ));
        }
        Ok(run)
    }

    /// The state machine's name: `--state-machine`, the mock configuration's only one, or
    /// the definition file's name up to its first dot.
    fn name(&self, mocks: Option<&MockConfig>) -> String {
        if let Some(name) = &self.state_machine {
            return name.clone();
        }
        if let Some(only) = mocks.and_then(|m| {
            let mut names = m.state_machines();
            let first = names.next();
            first.filter(|_| names.next().is_none())
        }) {
            return only.to_owned();
        }
        let file = self
            .definition
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        file.split('.').next().unwrap_or_default().to_owned()
    }
}

/// DynamoDB's Tasks answered by the DynamoDB API at `endpoint` (or the SDK's own), through
/// the AWS SDK. Each call runs to its end while the run waits (`Frozen`): on the virtual
/// clock no time passes during it, as for a mocked response.
#[cfg(feature = "aws")]
fn use_aws(interpreter: &mut Interpreter, endpoint: Option<&str>) -> Result<(), String> {
    use workflow_runtime::integration::dynamodb::DynamoDb;
    use workflow_runtime::integration::service::Frozen;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the AWS runtime: {e}"))?;
    let dynamodb = runtime.block_on(DynamoDb::from_env(endpoint));
    interpreter.handle_service(Frozen::new(dynamodb, runtime));
    Ok(())
}

/// Without the `aws` feature there is no SDK to call AWS with.
#[cfg(not(feature = "aws"))]
fn use_aws(_interpreter: &mut Interpreter, _endpoint: Option<&str>) -> Result<(), String> {
    Err("`--aws` and `--aws-endpoint` need `asl` built with the `aws` feature (`cargo install --path workflow-cli --features aws`)".to_owned())
}

fn execute(run: &Run, out: &mut Vec<u8>) -> Result<ExitCode, String> {
    let machine = load(&run.definition)?;
    let input: Value = match &run.input {
        None => Value::Object(serde_json::Map::new()),
        // Read as AWS reads JSON (`-0` is the integer 0).
        Some(path) => serde_json::from_str(&as_aws_reads(&read(
            path,
            u64::try_from(run.limits.payload_bytes).unwrap_or(u64::MAX),
            "an execution's input (AWS's quota; --max-payload-bytes raises it)",
        )?))
        .map_err(|e| format!("the input `{}` is not JSON: {e}", path.display()))?,
    };
    let mocks = match &run.mock_config {
        None => None,
        Some(path) => Some(
            MockConfig::from_json(&read(path, MAX_MOCK_CONFIG_BYTES, "a mock configuration")?)
                .map_err(|e| format!("{}: {e}", path.display()))?,
        ),
    };
    let name = run.name(mocks.as_ref());
    let mut interpreter = Interpreter::new(name.clone(), machine)
        .map_err(|e| format!("{}: {e}", run.definition.display()))?;
    interpreter.limits(run.limits);
    if let (Some(mocks), Some(test_case)) = (&mocks, &run.test_case) {
        mocks
            .apply(&mut interpreter, &name, test_case)
            .map_err(|e| e.to_string())?;
    }
    for (arn, file) in &run.children {
        // Named as the ARN names it (`...:stateMachine:NAME`), else as the file is.
        let child_name = arn.rsplit_once(":stateMachine:").map_or_else(
            || {
                let file = file.file_name().map(|f| f.to_string_lossy().into_owned());
                file.unwrap_or_default()
                    .split('.')
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            },
            |(_, name)| name.to_owned(),
        );
        let mut child = Interpreter::new(child_name.clone(), load(file)?)
            .map_err(|e| format!("{}: {e}", file.display()))?;
        child.limits(run.limits);
        // A test case of the same name for the child's state machine mocks its Tasks too.
        if let (Some(mocks), Some(test_case)) = (&mocks, &run.test_case) {
            if mocks.state_machines().any(|m| m == child_name) {
                mocks
                    .apply(&mut child, &child_name, test_case)
                    .map_err(|e| e.to_string())?;
            }
        }
        interpreter.handle_workflow(arn.clone(), child);
    }
    if let Some(endpoint) = &run.aws {
        use_aws(&mut interpreter, endpoint.as_deref())?;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(!run.real_time)
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    let (ending, history) = runtime.block_on(interpreter.run_with(input, &run.files.options()));
    run.files
        .write(&name, interpreter.definition(), &history)
        .map_err(|e| e.trim_end().to_owned())?;
    let (json, code) = match ending {
        Ok(output) => (output, ExitCode::SUCCESS),
        Err(error) => {
            // stdout keeps AWS's `{"Error", "Cause"}`; stderr says where it failed.
            say(&format!("asl: execution failed: {error}"));
            (error.to_json(), ExitCode::FAILURE)
        }
    };
    let text = serde_json::to_string_pretty(&json).unwrap_or_else(|_| json.to_string());
    let _ = writeln!(out, "{text}");
    Ok(code)
}
