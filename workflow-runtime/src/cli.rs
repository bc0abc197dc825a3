//! The command line every example follows, for any [`Workflow`]:
//!
//! - `PROGRAM [INPUT_JSON]` runs the workflow on `INPUT_JSON` (default `{}`, or the program's
//!   own default, see [`Options`]) and prints the execution's output on stdout; a failed
//!   execution prints `{"Error": ..., "Cause": ...}` and exits with status 1.
//! - `PROGRAM --asl` prints the ASL definition and exits with status 0;
//!   `PROGRAM --asl --quorum-table NAME` names the DynamoDB table of quorum records (by
//!   default the substitution `${QuorumTable}`).
//! - `PROGRAM --graph mermaid` and `PROGRAM --graph dot` print the workflow as a diagram
//!   ([`workflow_asl::graph`]) and exit with status 0; `PROGRAM --policy` prints the IAM
//!   policy its execution role needs ([`workflow_asl::policy`]).
//! - `PROGRAM [INPUT_JSON] --history FILE` also writes the execution's history to `FILE` as
//!   `GetExecutionHistory` returns it (`{"events": [...]}`, [`crate::history`]), and
//!   `--report FILE.html` its execution page ([`crate::report`]).
//!
//! Bad arguments print a usage message on stderr and exit with status 2.

use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::Value;
use workflow_asl::{ExportOptions, StateMachine};

use crate::callback::Callbacks;
use crate::history::History;
use crate::{RunOptions, Workflow};

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

/// What a program may change in the command line.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The input when none is given (`{}` by default).
    pub default_input: Value,
    /// Where the run's Tasks that wait for a callback are answered
    /// ([`RunOptions::callbacks`]); `None` for a registry of the run's own.
    pub callbacks: Option<Callbacks>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            default_input: Value::Object(serde_json::Map::new()),
            callbacks: None,
        }
    }
}

/// Runs the command line on `args` (without the program name) and returns what it printed.
pub async fn execute<W: Workflow>(workflow: &W, args: &[String]) -> Outcome {
    execute_with(workflow, args, &Options::default()).await
}

/// [`execute`], with the program's own [`Options`].
pub async fn execute_with<W: Workflow>(
    workflow: &W,
    args: &[String],
    options: &Options,
) -> Outcome {
    let usage = |problem: String| {
        Outcome {
        stdout: String::new(),
        stderr: format!(
            "{problem}usage: {0} [INPUT_JSON] [--history FILE] [--report FILE.html]\n                                         run the workflow (input defaults to {1})\n       {0} --asl [--quorum-table NAME]   print its ASL definition\n       {0} --graph mermaid|dot          print it as a diagram\n       {0} --policy                     print the IAM policy its role needs\n",
            W::NAME,
            options.default_input,
        ),
        status: 2,
    }
    };
    match args {
        [flag] if flag == "--asl" => return asl::<W>(&ExportOptions::default()),
        [flag, table_flag, table] if flag == "--asl" && table_flag == "--quorum-table" => {
            return asl::<W>(&ExportOptions {
                quorum_table: table.clone(),
            })
        }
        [flag] if flag == "--policy" => {
            return Outcome {
                stdout: pretty(&W::iam_policy()),
                stderr: String::new(),
                status: 0,
            };
        }
        [flag, format] if flag == "--graph" => {
            let Some(format) = workflow_asl::graph::Format::named(format) else {
                return usage(format!("`--graph` is `mermaid` or `dot`, not `{format}`\n"));
            };
            return Outcome {
                stdout: workflow_asl::graph::render(W::definition(), format),
                stderr: String::new(),
                status: 0,
            };
        }
        _ => {}
    }
    let (rest, files) = match Files::take(args) {
        Ok(split) => split,
        Err(problem) => return usage(problem),
    };
    let input = match rest.as_slice() {
        [] => options.default_input.clone(),
        [text] if !text.starts_with("--") => match serde_json::from_str(text) {
            Ok(input) => input,
            Err(e) => return usage(format!("the input is not JSON: {e}\n")),
        },
        _ => return usage(String::new()),
    };
    let mut run = files.options();
    if let Some(callbacks) = &options.callbacks {
        run = run.callbacks(callbacks.clone());
    }
    let (outcome, history) = workflow.run_with(input, &run).await;
    let written = files
        .write(W::NAME, W::definition(), &history)
        .err()
        .unwrap_or_default();
    match outcome {
        Ok(output) => Outcome {
            stdout: pretty(&output),
            status: if written.is_empty() { 0 } else { 2 },
            stderr: written,
        },
        Err(error) => Outcome {
            stdout: pretty(&error.to_json()),
            stderr: format!("execution failed: {error}\n{written}"),
            status: 1,
        },
    }
}

/// Where a run writes what it recorded: `--history FILE` and `--report FILE.html`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Files {
    /// The history, as `GetExecutionHistory` returns it.
    pub history: Option<PathBuf>,
    /// The execution page.
    pub report: Option<PathBuf>,
}

impl Files {
    /// Takes `--history FILE` and `--report FILE` out of `args`: the other arguments, and
    /// the files.
    ///
    /// # Errors
    /// A message for a flag given twice or without its file.
    pub fn take(args: &[String]) -> Result<(Vec<String>, Self), String> {
        let mut files = Self::default();
        let mut rest = Vec::new();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let slot = match arg.as_str() {
                "--history" => &mut files.history,
                "--report" => &mut files.report,
                _ => {
                    rest.push(arg.clone());
                    continue;
                }
            };
            let Some(file) = args.next() else {
                return Err(format!("`{arg}` needs a file\n"));
            };
            if slot.replace(PathBuf::from(file)).is_some() {
                return Err(format!("`{arg}` is given twice\n"));
            }
        }
        Ok((rest, files))
    }

    /// The options of a run that records what these files need.
    #[must_use]
    pub fn options(&self) -> RunOptions {
        if self.history.is_some() || self.report.is_some() {
            RunOptions::new().keep_history()
        } else {
            RunOptions::new()
        }
    }

    /// Writes `history`, of an execution of the workflow `name` on `definition`, to the
    /// files.
    ///
    /// # Errors
    /// A message naming a file that could not be written.
    pub fn write(
        &self,
        name: &str,
        definition: &StateMachine,
        history: &History,
    ) -> Result<(), String> {
        let write = |path: &PathBuf, text: String| {
            std::fs::write(path, text)
                .map_err(|e| format!("cannot write `{}`: {e}\n", path.display()))
        };
        if let Some(path) = &self.history {
            write(path, pretty(&history.to_json()))?;
        }
        if let Some(path) = &self.report {
            write(path, crate::report::html(name, definition, history))?;
        }
        Ok(())
    }
}

fn asl<W: Workflow>(options: &ExportOptions) -> Outcome {
    Outcome {
        stdout: pretty(&W::asl_with(options)),
        stderr: String::new(),
        status: 0,
    }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string()) + "\n"
}

/// The process's arguments without the program's name. An argument that is not UTF-8 is
/// taken with its invalid bytes replaced (it cannot be JSON or a flag, and is reported as
/// such), where `std::env::args` would panic.
#[must_use]
pub fn args() -> Vec<String> {
    std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect()
}

/// Runs the command line on the process's arguments, prints, and returns the exit code.
pub async fn main<W: Workflow>(workflow: &W) -> ExitCode {
    main_with(workflow, &args(), &Options::default()).await
}

/// [`main`] on `args` (a program with flags of its own removes them first), with the
/// program's own [`Options`].
pub async fn main_with<W: Workflow>(workflow: &W, args: &[String], options: &Options) -> ExitCode {
    use std::io::Write;
    let outcome = execute_with(workflow, args, options).await;
    // A closed pipe (`cargo run --example quorum | head`) or stream is no reason to panic.
    let _ = std::io::stderr().write_all(outcome.stderr.as_bytes());
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(outcome.stdout.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::from(outcome.status),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::from(outcome.status),
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "cannot write the output: {e}");
            ExitCode::from(2)
        }
    }
}
