//! The command line every example follows, for any [`Workflow`]:
//!
//! - `PROGRAM [INPUT_JSON]` runs the workflow on `INPUT_JSON` (default `{}`) and prints the
//!   execution's output on stdout; a failed execution prints `{"Error": ..., "Cause": ...}` and
//!   exits with status 1.
//! - `PROGRAM --asl` prints the ASL definition and exits with status 0.
//!
//! Bad arguments print a usage message on stderr and exit with status 2.

use std::process::ExitCode;

use serde_json::Value;

use crate::Workflow;

/// What a run of the command line printed and how it exits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// What goes to stdout.
    pub stdout: String,
    /// What goes to stderr.
    pub stderr: String,
    /// The exit status.
    pub status: u8,
}

/// Runs the command line on `args` (without the program name) and returns what it printed.
pub async fn execute<W: Workflow>(workflow: &W, args: &[String]) -> Outcome {
    let usage = || {
        Outcome {
        stdout: String::new(),
        stderr: format!("usage: {0} [INPUT_JSON]   run the workflow (input defaults to {{}})\n       {0} --asl          print its ASL definition\n", W::NAME),
        status: 2,
    }
    };
    let input = match args {
        [flag] if flag == "--asl" => {
            return Outcome {
                stdout: W::asl_pretty() + "\n",
                stderr: String::new(),
                status: 0,
            }
        }
        [] => Value::Object(serde_json::Map::new()),
        [text] if !text.starts_with("--") => match serde_json::from_str(text) {
            Ok(input) => input,
            Err(e) => {
                let mut out = usage();
                out.stderr = format!("the input is not JSON: {e}\n{}", out.stderr);
                return out;
            }
        },
        _ => return usage(),
    };
    match workflow.run(input).await {
        Ok(output) => Outcome {
            stdout: pretty(&output),
            stderr: String::new(),
            status: 0,
        },
        Err(error) => Outcome {
            stdout: pretty(&error.to_json()),
            stderr: format!("execution failed: {error}\n"),
            status: 1,
        },
    }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string()) + "\n"
}

/// Runs the command line on the process's arguments, prints, and returns the exit code.
pub async fn main<W: Workflow>(workflow: &W) -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = execute(workflow, &args).await;
    print!("{}", outcome.stdout);
    eprint!("{}", outcome.stderr);
    ExitCode::from(outcome.status)
}
