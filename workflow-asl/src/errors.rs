//! The error names ASL predefines. Which name an `ErrorEquals` entry matches is semantics,
//! and lives in the runtime (`workflow_runtime::error::matches`).

/// Matches every error name except [`RUNTIME`] and [`DATA_LIMIT_EXCEEDED`].
pub const ALL: &str = "States.ALL";
/// A payload grew past the service quota. Terminal: `States.ALL` does not match it.
pub const DATA_LIMIT_EXCEEDED: &str = "States.DataLimitExceeded";
/// A Map state failed more items than its tolerated failure threshold.
pub const EXCEED_TOLERATED_FAILURE_THRESHOLD: &str = "States.ExceedToleratedFailureThreshold";
/// A Task sent no heartbeat within `HeartbeatSeconds`.
pub const HEARTBEAT_TIMEOUT: &str = "States.HeartbeatTimeout";
/// An HTTP Task's socket timed out.
pub const HTTP_SOCKET: &str = "States.Http.Socket";
/// An intrinsic function failed on its arguments.
pub const INTRINSIC_FAILURE: &str = "States.IntrinsicFailure";
/// A Map state's item reader failed.
pub const ITEM_READER_FAILED: &str = "States.ItemReaderFailed";
/// A Choice state matched no rule and has no `Default`.
pub const NO_CHOICE_MATCHED: &str = "States.NoChoiceMatched";
/// A path in `Parameters` matched nothing in the input.
pub const PARAMETER_PATH_FAILURE: &str = "States.ParameterPathFailure";
/// The execution lacked privileges for the task.
pub const PERMISSIONS: &str = "States.Permissions";
/// A query (JSONata) failed to evaluate.
pub const QUERY_EVALUATION_ERROR: &str = "States.QueryEvaluationError";
/// `ResultPath` cannot be applied to the state's input.
pub const RESULT_PATH_MATCH_FAILURE: &str = "States.ResultPathMatchFailure";
/// A Map state's result writer failed.
pub const RESULT_WRITER_FAILED: &str = "States.ResultWriterFailed";
/// A runtime error such as an `InputPath` that matches nothing. `States.ALL` does not match it.
pub const RUNTIME: &str = "States.Runtime";
/// A Task failed. As a matcher it matches every error but [`TIMEOUT`].
pub const TASK_FAILED: &str = "States.TaskFailed";
/// A Task or execution ran longer than its `TimeoutSeconds`.
pub const TIMEOUT: &str = "States.Timeout";
/// A branch of a Parallel or Map failed.
pub const BRANCH_FAILED: &str = "States.BranchFailed";

/// Every name under the reserved `States.` prefix that ASL defines.
pub const PREDEFINED: &[&str] = &[
    ALL,
    BRANCH_FAILED,
    DATA_LIMIT_EXCEEDED,
    EXCEED_TOLERATED_FAILURE_THRESHOLD,
    HEARTBEAT_TIMEOUT,
    HTTP_SOCKET,
    INTRINSIC_FAILURE,
    ITEM_READER_FAILED,
    NO_CHOICE_MATCHED,
    PARAMETER_PATH_FAILURE,
    PERMISSIONS,
    QUERY_EVALUATION_ERROR,
    RESULT_PATH_MATCH_FAILURE,
    RESULT_WRITER_FAILED,
    RUNTIME,
    TASK_FAILED,
    TIMEOUT,
];

/// The prefix ASL reserves for its own error names; user errors may not start with it.
pub const RESERVED_PREFIX: &str = "States.";
