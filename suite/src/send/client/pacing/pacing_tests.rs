//! The pacer on paused time: its schedule, the cuts a 429 makes or does not, the growth after them,
//! the waits and their bound, and the summary line.

use super::*;
use std::sync::Arc;

#[tokio::test(start_paused = true)]
async fn a_growing_pace_is_one_schedule_however_many_requests_wait() {
    let pacer = Arc::new(Pacer::new(Pacing::default()));
    if let Ok(mut state) = pacer.state.lock() {
        let now = Instant::now();
        state.base = Some((10.0, now));
        state.report.cuts = 2;
        state.set(Some(10.0), now);
    }
    let started = Instant::now();
    let tasks: Vec<_> = (0..8)
        .map(|_| Arc::clone(&pacer))
        .map(|p| {
            tokio::spawn(async move {
                for _ in 0..10 {
                    p.pace().await
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("pace");
    }
    // 80 requests at 10/s growing 1 % a second: about 7.6 s; two schedules at once would be far quicker.
    let took = started.elapsed();
    assert!(took >= Duration::from_secs(7) && took < Duration::from_secs(8), "80 requests took {took:?}");
}

#[tokio::test]
async fn pacing_spaces_requests_and_unpaced_does_not_wait() {
    let unpaced = Arc::new(Pacer::new(Pacing::default()));
    let started = std::time::Instant::now();
    for _ in 0..20 {
        unpaced.pace().await;
    }
    assert!(started.elapsed() < Duration::from_millis(100), "unpaced waited {:?}", started.elapsed());

    // 11 requests at 50/s: the first leaves at once, each next one 20 ms later, whichever task sends it.
    let paced = Arc::new(Pacer::new(Pacing { rate: Some(50.0), ..Pacing::default() }));
    let started = std::time::Instant::now();
    let tasks: Vec<_> =
        (0..11).map(|_| Arc::clone(&paced)).map(|p| tokio::spawn(async move { p.pace().await })).collect();
    for task in tasks {
        task.await.expect("pace");
    }
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(190) && took < Duration::from_secs(2), "11 at 50/s took {took:?}");
}

#[tokio::test]
async fn a_pause_holds_back_every_request_and_is_never_shortened() {
    let pacer = Pacer::new(Pacing::default());
    pacer.pause_all(Duration::from_millis(200));
    pacer.pause_all(Duration::from_millis(50));
    let started = std::time::Instant::now();
    pacer.pace().await;
    assert!(started.elapsed() >= Duration::from_millis(190), "a shorter pause never shortens a longer one");
    let started = std::time::Instant::now();
    pacer.pace().await;
    assert!(started.elapsed() < Duration::from_millis(100), "a pause once over holds nothing back");
}

#[tokio::test(start_paused = true)]
async fn a_429_cuts_the_pace_below_what_the_target_let_through_once_per_round_and_it_grows_back() {
    let pacer = Pacer::new(Pacing { rate: Some(500.0), ..Pacing::default() });
    // Two seconds of 20 answers a second, then a 429.
    for _ in 0..40 {
        tokio::time::advance(Duration::from_millis(50)).await;
        pacer.answered();
    }
    let sent = Instant::now();
    pacer.limited(sent);
    let after_cut = pacer.report();
    let learned = after_cut.learned.expect("a cut");
    assert!((17.0..=18.5).contains(&learned), "cut to {learned}: 90 % of the 20/s let through");
    // A 429 to a request sent before the cut is the same round, and one sent just after it too: no second cut.
    pacer.limited(sent);
    tokio::time::advance(Duration::from_millis(300)).await;
    pacer.answered();
    pacer.limited(Instant::now());
    assert_eq!(pacer.state.lock().unwrap().rate, Some(learned));
    assert_eq!(pacer.report().limited, 3);
    // After the first cut the pace starts again quickly: 10 % a second.
    tokio::time::advance(Duration::from_secs(5)).await;
    let _ = pacer.slot();
    let started = pacer.state.lock().unwrap().rate.expect("paced");
    assert!(started > learned * 1.5 && started < learned * 1.7, "{learned} grew to {started} in 5 s");
    // A second cut, measured on a busy client (25/s let through), and from it 1 % a second.
    for _ in 0..50 {
        tokio::time::advance(Duration::from_millis(40)).await;
        pacer.answered();
    }
    pacer.limited(Instant::now());
    let second = pacer.state.lock().unwrap().rate.expect("paced");
    assert!((22.0..=23.0).contains(&second), "cut to {second}: 90 % of the 25/s let through");
    tokio::time::advance(Duration::from_secs(10)).await;
    let _ = pacer.slot();
    let grown = pacer.state.lock().unwrap().rate.expect("paced");
    assert!(grown > second * 1.05 && grown < second * 1.15, "{second} grew to {grown} in 10 s");
    // And never above the bound.
    tokio::time::advance(Duration::from_secs(600)).await;
    let _ = pacer.slot();
    assert_eq!(pacer.state.lock().unwrap().rate, Some(500.0), "JOURNEY_API_RATE stays the upper bound");
}

#[tokio::test(start_paused = true)]
async fn an_odd_429_among_many_answers_or_before_a_second_of_traffic_cuts_nothing() {
    let pacer = Pacer::new(Pacing::default());
    // Set-up's first request drew a 429: nothing to measure a pace on.
    pacer.limited(Instant::now());
    assert_eq!(pacer.state.lock().unwrap().rate, None, "one refusal and no answers say nothing of the pace");
    for _ in 0..1000 {
        tokio::time::advance(Duration::from_millis(1)).await;
        pacer.answered();
    }
    for _ in 0..5 {
        tokio::time::advance(Duration::from_millis(10)).await;
        pacer.limited(Instant::now());
    }
    assert_eq!(pacer.state.lock().unwrap().rate, None, "5 refusals among 1,000 answers say nothing of the pace");
    assert_eq!(pacer.report().limited, 6);
    for _ in 0..10 {
        tokio::time::advance(Duration::from_millis(10)).await;
        pacer.limited(Instant::now());
    }
    let cut = pacer.state.lock().unwrap().rate.expect("16 of 1,016 is a limit being met");
    // The same share two seconds later: the cut did not help, so the 429s are not about the pace.
    for _ in 0..20 {
        tokio::time::advance(Duration::from_millis(100)).await;
        for _ in 0..50 {
            pacer.answered();
        }
        pacer.limited(Instant::now());
    }
    assert_eq!(pacer.state.lock().unwrap().rate, Some(cut), "a futile cut is not repeated");
}

#[tokio::test(start_paused = true)]
async fn without_learning_a_429_changes_nothing_and_waits_are_bounded_in_total() {
    let fixed = Pacer::new(Pacing { rate: Some(10.0), adaptive: false, ..Pacing::default() });
    fixed.answered();
    fixed.limited(Instant::now());
    assert_eq!(fixed.state.lock().unwrap().rate, Some(10.0));
    let mut headers = http::HeaderMap::new();
    headers.insert(http::header::RETRY_AFTER, http::HeaderValue::from_static("30"));
    let resp = Response { status: 429, headers, body: Vec::new(), truncated: false };
    let budget = Pacer::new(Pacing { max_total_wait: Duration::from_secs(70), ..Pacing::default() });
    assert_eq!(budget.wait_for(&resp, 0), Some(Duration::from_secs(30)));
    assert_eq!(budget.wait_for(&resp, 1), Some(Duration::from_secs(30)));
    assert_eq!(budget.wait_for(&resp, 2), None, "a third 30 s wait would pass the 70 s in all");
    let report = budget.report();
    assert_eq!((report.retried, report.waited), (2, Duration::from_secs(60)));
    assert!(report.line().is_some_and(|l| l.contains("2 429s retried, waiting 60.0s in all")), "{report:?}");
}

#[test]
fn the_summary_line_says_what_was_learned_and_nothing_when_nothing_happened() {
    assert_eq!(PaceReport::default().line(), None);
    let learned = PaceReport {
        cap: None,
        learned: Some(14.3),
        ceiling: Some(15.2),
        limited: 12,
        cuts: 3,
        retried: 12,
        waited: Duration::from_secs(12),
    };
    let line = learned.line().expect("a line");
    assert!(line.starts_with("pace: learned 14.3 req/s from 12 rate-limited answers"), "{line}");
    assert!(line.contains("15.2 req/s through"), "{line}");
}
