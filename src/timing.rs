//! Stage timings, for finding where a build spends its time.

/// Stage timings on stderr when `SERVICEKB_TIMINGS` is set.
pub struct Timer {
    on: bool,
    last: std::cell::Cell<std::time::Instant>,
    cpu: std::cell::Cell<u64>,
}

impl Timer {
    pub fn new() -> Self {
        let on = std::env::var_os("SERVICEKB_TIMINGS").is_some();
        Timer {
            on,
            last: std::cell::Cell::new(std::time::Instant::now()),
            // Read only when timings are shown: `serve` makes timers on
            // every edit.
            cpu: std::cell::Cell::new(if on { cpu_ms() } else { 0 }),
        }
    }

    pub fn lap(&self, what: &str) {
        if self.on {
            let now = std::time::Instant::now();
            let cpu = cpu_ms();
            // The CPU time beside the wall time shows how parallel a stage is.
            eprintln!(
                "timing: {what} {} ms, cpu {} ms{}",
                (now - self.last.get()).as_millis(),
                cpu.saturating_sub(self.cpu.get()),
                memory()
            );
            self.last.set(now);
            self.cpu.set(cpu);
        }
    }
}

/// The process's user and system time so far, where the system says (in
/// the kernel's ticks, usually 10 ms).
fn cpu_ms() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command's name, which is in parentheses.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let ticks: u64 = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|f| f.parse::<u64>().ok())
        .sum();
    ticks * 10
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
