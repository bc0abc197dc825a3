// State names may be identifiers or strings (ASL names may hold spaces), `r#` identifiers
// read without their prefix, and a comment and doc attributes are accepted.
sfn_workflow::workflow! {
    /// Documented.
    #[derive(Debug, Clone, Copy)]
    pub(crate) Names {
        comment: "names",
        start_at: "Start here",
        states: {
            "Start here": Pass { next: r#type },
            r#type: Pass { next: "Done" },
            Done: Succeed {},
        }
    }
}

fn main() {
    let _ = Names;
    assert!(Names::asl()["States"].get("type").is_some());
}
