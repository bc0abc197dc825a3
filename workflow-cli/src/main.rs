//! `asl`: check and run existing Amazon States Language definitions locally.
//!
//! ```text
//! asl validate DEF.asl.json
//! asl run DEF.asl.json [--input FILE|-] [--mock-config FILE --test-case NAME
//!                      [--state-machine NAME]] [--real-time]
//! ```
//!
//! `validate` prints every problem with its JSON Pointer and exits 1 if there is one. `run`
//! prints the output JSON, or `{"Error", "Cause"}` with exit status 1. Task states answer from
//! the mock configuration's test case (the Step Functions Local format); a Task it does not
//! mock fails with `Workflow.NoHandler`. Waits, retry intervals and timeouts run on a virtual
//! clock, so a run returns at once, unless `--real-time` is given. Usage and file errors exit 2.

use std::io::Read;
use std::process::ExitCode;

use serde_json::Value;
use workflow_runtime::asl::{validate, Dialect, StateMachine};
use workflow_runtime::interpret::Interpreter;
use workflow_runtime::mock::MockConfig;

const USAGE: &str = "usage: asl validate DEF.asl.json
       asl run DEF.asl.json [--input FILE|-] [--mock-config FILE --test-case NAME [--state-machine NAME]] [--real-time]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match command(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("asl: {message}");
            ExitCode::from(2)
        }
    }
}

fn command(args: &[String]) -> Result<ExitCode, String> {
    match args.first().map(String::as_str) {
        Some("validate") => {
            let [_, path] = args else {
                return Err(USAGE.to_owned());
            };
            validate_file(path)
        }
        Some("run") => execute(&Run::parse(&args[1..])?),
        Some("-h" | "--help") => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        _ => Err(USAGE.to_owned()),
    }
}

fn read(path: &str) -> Result<String, String> {
    if path == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        return Ok(text);
    }
    std::fs::read_to_string(path).map_err(|e| format!("cannot read `{path}`: {e}"))
}

fn load(path: &str) -> Result<StateMachine, String> {
    StateMachine::from_json(&read(path)?).map_err(|e| format!("{path}: {e}"))
}

fn validate_file(path: &str) -> Result<ExitCode, String> {
    let machine = load(path)?;
    let problems = validate(&machine, Dialect::Asl);
    for problem in &problems {
        println!("{path}: {}: {}", problem.location, problem.message);
    }
    if problems.is_empty() {
        println!("{path}: valid");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("{path}: {} problem(s)", problems.len());
        Ok(ExitCode::FAILURE)
    }
}

/// The options of `asl run`.
struct Run {
    definition: String,
    input: Option<String>,
    mock_config: Option<String>,
    test_case: Option<String>,
    state_machine: Option<String>,
    real_time: bool,
}

impl Run {
    fn parse(args: &[String]) -> Result<Self, String> {
        let mut run = Self {
            definition: String::new(),
            input: None,
            mock_config: None,
            test_case: None,
            state_machine: None,
            real_time: false,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = |name: &str| {
                args.next()
                    .cloned()
                    .ok_or_else(|| format!("`{name}` needs a value\n{USAGE}"))
            };
            match arg.as_str() {
                "--input" => run.input = Some(value("--input")?),
                "--mock-config" => run.mock_config = Some(value("--mock-config")?),
                "--test-case" => run.test_case = Some(value("--test-case")?),
                "--state-machine" => run.state_machine = Some(value("--state-machine")?),
                "--real-time" => run.real_time = true,
                other if other.starts_with("--") => {
                    return Err(format!("unknown option `{other}`\n{USAGE}"))
                }
                path if run.definition.is_empty() => run.definition = path.to_owned(),
                extra => return Err(format!("unexpected argument `{extra}`\n{USAGE}")),
            }
        }
        if run.definition.is_empty() {
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
        let file = std::path::Path::new(&self.definition)
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        file.split('.').next().unwrap_or_default().to_owned()
    }
}

fn execute(run: &Run) -> Result<ExitCode, String> {
    let machine = load(&run.definition)?;
    let input: Value = match &run.input {
        None => Value::Object(serde_json::Map::new()),
        Some(path) => serde_json::from_str(&read(path)?)
            .map_err(|e| format!("the input `{path}` is not JSON: {e}"))?,
    };
    let mocks = match &run.mock_config {
        None => None,
        Some(path) => {
            Some(MockConfig::from_json(&read(path)?).map_err(|e| format!("{path}: {e}"))?)
        }
    };
    let name = run.name(mocks.as_ref());
    let mut interpreter =
        Interpreter::new(name.clone(), machine).map_err(|e| format!("{}: {e}", run.definition))?;
    if let (Some(mocks), Some(test_case)) = (&mocks, &run.test_case) {
        mocks
            .apply(&mut interpreter, &name, test_case)
            .map_err(|e| e.to_string())?;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(!run.real_time)
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    let ending = runtime.block_on(interpreter.run(input));
    let (json, code) = match ending {
        Ok(output) => (output, ExitCode::SUCCESS),
        Err(error) => {
            // stdout keeps AWS's `{"Error", "Cause"}`; stderr says where it failed.
            eprintln!("asl: execution failed: {error}");
            (error.to_json(), ExitCode::FAILURE)
        }
    };
    println!(
        "{}",
        serde_json::to_string_pretty(&json).unwrap_or_else(|_| json.to_string())
    );
    Ok(code)
}
