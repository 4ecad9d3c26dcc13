//! Date and datetime text as fields and query filters accept it.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

/// Fixed-width ASCII digits at `range`, or None.
fn digits(s: &str, range: std::ops::Range<usize>) -> Option<u32> {
    let part = s.get(range)?;
    if part.bytes().all(|b| b.is_ascii_digit()) {
        part.parse().ok()
    } else {
        None
    }
}

fn parse_date_part(s: &str) -> Option<NaiveDate> {
    if s.len() < 10 || s.as_bytes().get(4) != Some(&b'-') || s.as_bytes().get(7) != Some(&b'-') {
        return None;
    }
    NaiveDate::from_ymd_opt(digits(s, 0..4)? as i32, digits(s, 5..7)?, digits(s, 8..10)?)
}

/// `YYYY-MM-DDTHH:MM(:SS(.frac)?)?(Z|±HH:MM)?`: the local date as written and the UTC instant.
/// No offset means UTC, as the brief says; the UTC year must stay four digits so read-back keeps its form.
pub fn parse_datetime(s: &str) -> Option<(NaiveDate, NaiveDateTime)> {
    let date = parse_date_part(s)?;
    let rest = s.get(10..)?.strip_prefix('T')?;
    let hour = digits(rest, 0..2)?;
    let minute = rest.get(2..3).filter(|c| *c == ":").and(digits(rest, 3..5))?;
    let mut rest = rest.get(5..)?;
    let (mut second, mut nanos) = (0, 0);
    if let Some(after) = rest.strip_prefix(':') {
        second = digits(after, 0..2)?;
        rest = after.get(2..)?;
        if let Some(after) = rest.strip_prefix('.') {
            let len = after.bytes().take_while(u8::is_ascii_digit).count();
            if len == 0 {
                return None;
            }
            let frac = after.get(..len)?;
            let padded = format!("{:0<9}", frac.get(..len.min(9))?);
            nanos = padded.parse().ok()?;
            rest = after.get(len..)?;
        }
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let offset_minutes: i64 = match rest {
        "" | "Z" => 0,
        _ => {
            let sign = match rest.get(0..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            if rest.len() != 6 || rest.get(3..4) != Some(":") {
                return None;
            }
            let (oh, om) = (digits(rest, 1..3)?, digits(rest, 4..6)?);
            if oh > 23 || om > 59 {
                return None;
            }
            sign * i64::from(oh * 60 + om)
        }
    };
    let local = date.and_time(NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?);
    let utc = local.checked_sub_signed(TimeDelta::minutes(offset_minutes))?;
    (0..=9999).contains(&utc.year()).then_some((date, utc))
}

/// Date fields take a bare date or a full datetime whose time part is dropped.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    if s.len() == 10 {
        parse_date_part(s)
    } else {
        parse_datetime(s).map(|(date, _)| date)
    }
}
