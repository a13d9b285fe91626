//! Inputs the fuzz targets (fuzz/) once failed on, replayed through the same
//! checks: tests/fuzz-regressions/<target>/<input>.

#[allow(dead_code)]
#[path = "../../fuzz/src/lib.rs"]
mod targets;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-regressions")
        .join(target);
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = e.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let r = std::panic::catch_unwind(|| run(&data));
        assert!(r.is_ok(), "{} fails again", path.display());
        n += 1;
    }
    assert!(n > 0, "no inputs in {}", dir.display());
}

#[test]
fn front_matter() {
    replay("front_matter", targets::front_matter);
}

#[test]
fn link_resolver() {
    replay("link_resolver", targets::link_resolver);
}

#[test]
fn skill_yaml() {
    replay("skill_yaml", targets::skill_yaml);
}

#[test]
fn checklist_yaml() {
    replay("checklist_yaml", targets::checklist_yaml);
}

#[test]
fn site() {
    replay("site", targets::site_build);
}

#[test]
fn sanitizer() {
    replay("sanitizer", targets::sanitizer);
}
