//! Tables whose rows leave out cells: pulldown-cmark fills each row up to
//! the table's columns, so a short row of a wide table costs far more than
//! its bytes (in the parser's tree, before any event).

/// Cells a table may have beyond one per two bytes of its lines (`| `,
/// `|a`): the parser keeps about 100 bytes per cell.
const FREE_CELLS: usize = 10_000;

/// The number of columns of `line` if it may be a table's delimiter
/// row (`|---|:-:|`), after any quote or list markers: at least as many
/// as the parser would find.
fn columns(line: &[u8]) -> Option<usize> {
    let start = line
        .iter()
        .position(|c| {
            !matches!(
                c,
                b' ' | b'\t' | b'>' | b'*' | b'+' | b'.' | b')' | b'0'..=b'9'
            )
        })
        .unwrap_or(line.len());
    let rest = &line[start..];
    if !rest.contains(&b'|')
        || !rest.contains(&b'-')
        || !rest
            .iter()
            .all(|c| matches!(c, b'|' | b'-' | b':' | b' ' | b'\t' | b'\r'))
    {
        return None;
    }
    // Each column has a run of dashes; a list's `-` marker counts too.
    let runs = rest.split(|c| *c != b'-').filter(|r| !r.is_empty()).count()
        + usize::from(line[..start].contains(&b'-'));
    Some(runs)
}

/// The offset of the first table with more cells than half the bytes of
/// its lines (and [`FREE_CELLS`] more), and the error to give there.
pub fn too_many_cells(body: &str) -> Option<(usize, String)> {
    let b = body.as_bytes();
    memchr::memchr(b'|', b)?;
    let lines: Vec<(usize, &[u8])> = {
        let mut v = Vec::new();
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', b).chain(std::iter::once(b.len())) {
            v.push((start, &b[start..end]));
            start = end + 1;
        }
        v
    };
    let mut i = 0;
    while i < lines.len() {
        let Some(cols) = columns(lines[i].1) else {
            i += 1;
            continue;
        };
        // The rows: every line up to a blank one (more than the parser
        // takes, never fewer).
        let mut rows = 0;
        let mut bytes = lines[i].1.len() + 1;
        if i > 0 {
            bytes += lines[i - 1].1.len() + 1;
        }
        // A row's cells past the columns are parsed too, then dropped.
        let mut cells = cols;
        let mut j = i + 1;
        while j < lines.len() && !lines[j].1.iter().all(u8::is_ascii_whitespace) {
            rows += 1;
            bytes += lines[j].1.len() + 1;
            cells = cells.saturating_add(cols.max(memchr::memchr_iter(b'|', lines[j].1).count()));
            j += 1;
        }
        if cells > bytes / 2 + FREE_CELLS {
            return Some((
                lines[i].0,
                format!(
                    "this table has {cols} columns and {rows} rows, {cells} cells in {bytes} bytes (rows that leave cells out are filled with empty ones); the limit is a cell per two bytes: write the cells out as `| x ` or use fewer columns"
                ),
            ));
        }
        i = j.max(i + 1);
    }
    None
}
