//! The documentation says what the code does: the fields table of the `workflow!` reference
//! (`docs/workflow-macro.md`) is generated from the field vocabulary, and this test fails when
//! the two part. `UPDATE_DOCS=1 cargo test --test docs` rewrites the table.

use sfn_workflow::asl::vocabulary;
use sfn_workflow::asl::StateType;

const REFERENCE: &str = "docs/workflow-macro.md";
const START: &str =
    "<!-- fields table: generated from workflow_asl::vocabulary by tests/docs.rs -->\n";
const END: &str = "<!-- end of fields table -->";

/// The table, one row per state type, its fields in the vocabulary's order (a Task's
/// `handler`, which only the macro has, after `resource`).
fn fields_table() -> String {
    let mut table = String::from("| state | fields |\n|---|---|\n");
    for kind in StateType::ALL {
        let mut names: Vec<&str> = vocabulary::allowed(kind).map(|f| f.rust).collect();
        if kind == StateType::Task {
            let at = names
                .iter()
                .position(|n| *n == "resource")
                .map_or(0, |i| i + 1);
            names.insert(at, "handler");
        }
        let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        table.push_str(&format!("| `{kind}` | {} |\n", names.join(", ")));
    }
    table
}

#[test]
fn the_reference_lists_the_fields_the_vocabulary_allows() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(REFERENCE);
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find(START).expect("the table's start marker") + START.len();
    let end = text[start..].find(END).expect("the table's end marker") + start;
    let table = fields_table();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        let updated = format!("{}{table}{}", &text[..start], &text[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert_eq!(
        &text[start..end],
        table,
        "{REFERENCE}'s fields table is stale: UPDATE_DOCS=1 cargo test --test docs"
    );
}

#[test]
fn the_table_names_each_field_where_its_type_allows_it() {
    let table = fields_table();
    let row = |kind: &str| {
        table
            .lines()
            .find(|l| l.starts_with(&format!("| `{kind}`")))
            .unwrap()
            .to_owned()
    };
    // From the States Language specification's table of fields per state type.
    assert!(row("Succeed").contains("`output_path`") && !row("Succeed").contains("`next`"));
    assert!(row("Fail").contains("`cause_path`") && !row("Fail").contains("`input_path`"));
    assert!(row("Task").contains("`resource`, `handler`"));
    assert!(row("Map").contains("`item_selector`") && !row("Map").contains("`parameters`"));
}
