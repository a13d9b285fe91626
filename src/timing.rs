//! Stage timings, for finding where a build spends its time.

/// Stage timings on stderr when `SERVICEKB_TIMINGS` is set.
pub struct Timer {
    on: bool,
    last: std::cell::Cell<std::time::Instant>,
}

impl Timer {
    pub fn new() -> Self {
        Timer {
            on: std::env::var_os("SERVICEKB_TIMINGS").is_some(),
            last: std::cell::Cell::new(std::time::Instant::now()),
        }
    }

    pub fn lap(&self, what: &str) {
        if self.on {
            let now = std::time::Instant::now();
            eprintln!(
                "timing: {what} {} ms{}",
                (now - self.last.get()).as_millis(),
                memory()
            );
            self.last.set(now);
        }
    }
}

/// The process's memory now and at its peak, where the system says.
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let mb = |key: &str| {
        let line = status.lines().find(|l| l.starts_with(key))?;
        let kb: u64 = line[key.len()..]
            .trim()
            .trim_end_matches(" kB")
            .parse()
            .ok()?;
        Some(kb / 1024)
    };
    match (mb("VmRSS:"), mb("VmHWM:")) {
        (Some(now), Some(peak)) => format!(" (memory {now} MB, peak {peak} MB)"),
        _ => String::new(),
    }
}

impl Default for Timer {
    fn default() -> Self {
        Self::new()
    }
}
