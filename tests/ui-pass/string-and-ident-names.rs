// State names may be identifiers or strings (ASL names may hold spaces), `r#` identifiers
// read without their prefix, and a comment and attributes are accepted; the type is `Clone`, `Copy` and `Debug` already.
sfn_workflow::workflow! {
    /// Documented.
    #[allow(dead_code)]
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
    let names = Names;
    let copy = names;
    assert_eq!(format!("{names:?} {:?}", copy.clone()), "Names Names");
    assert!(Names::asl()["States"].get("type").is_some());
}
