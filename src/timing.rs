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
            eprintln!("timing: {what} {} ms", (now - self.last.get()).as_millis());
            self.last.set(now);
        }
    }
}

impl Default for Timer {
    fn default() -> Self {
        Self::new()
    }
}
