//! The one HTTP client against a fake server on 127.0.0.1: timeouts, caps, redirects, 304s.

use outage_radar::fetch::{FetchError, FetchLimits, Fetcher, USER_AGENT};
use outage_radar_tests::fake_server::{FakeServer, Reply};
use std::time::Duration;

fn fetcher(total: Duration, max_body: usize) -> Fetcher {
    Fetcher::new(FetchLimits {
        connect_timeout: Duration::from_secs(5),
        total_timeout: total,
        max_body_bytes: max_body,
        max_concurrent: 4,
    })
    .expect("client")
}

#[tokio::test]
async fn a_slow_page_hits_the_timeout() {
    let server = FakeServer::start().await;
    server.set(
        "/late",
        Reply::json(b"{}".to_vec()).delay(Duration::from_secs(5)),
    );
    // Headers on time, then a body that trickles past the deadline.
    server.set(
        "/trickle",
        Reply::json(vec![b' '; 4096]).trickle(Duration::from_millis(100)),
    );
    let f = fetcher(Duration::from_millis(700), 1 << 20);
    for path in ["/late", "/trickle"] {
        let err = f
            .get(&format!("{}{path}", server.url()))
            .await
            .expect_err("too slow");
        assert!(matches!(err, FetchError::Timeout { .. }), "{path}: {err}");
        assert!(err.to_string().ends_with(": timed out"), "{err}");
    }
}

#[tokio::test]
async fn an_oversized_body_is_cut_and_reported() {
    let server = FakeServer::start().await;
    server.set("/big", Reply::json(vec![b'x'; 300_000]));
    let f = fetcher(Duration::from_secs(10), 100_000);
    let err = f
        .get(&format!("{}/big", server.url()))
        .await
        .expect_err("over the cap");
    assert!(
        matches!(err, FetchError::TooLarge { limit: 100_000, .. }),
        "{err}"
    );
    assert!(
        err.to_string().contains("larger than 100000 bytes"),
        "{err}"
    );
    // Under the cap is fine.
    server.set("/small", Reply::json(vec![b'x'; 99_000]));
    assert_eq!(
        f.get(&format!("{}/small", server.url()))
            .await
            .expect("under the cap")
            .len(),
        99_000
    );
}

#[tokio::test]
async fn a_redirect_loop_stops() {
    let server = FakeServer::start().await;
    server.set("/a", Reply::redirect("/b"));
    server.set("/b", Reply::redirect("/a"));
    let f = fetcher(Duration::from_secs(10), 1 << 20);
    let err = f
        .get(&format!("{}/a", server.url()))
        .await
        .expect_err("loop");
    assert!(err.to_string().contains("redirects"), "{err}");
    assert!(server.hits("/a") + server.hits("/b") <= 7, "bounded");
    // A short chain is followed and the final address reported.
    server.set("/old", Reply::redirect("/new"));
    server.set("/new", Reply::json(b"{\"ok\":1}".to_vec()));
    let got = f
        .fetch(&format!("{}/old", server.url()))
        .await
        .expect("followed");
    assert_eq!(got.final_url, format!("{}/new", server.url()));
    assert_eq!(got.body.as_slice(), b"{\"ok\":1}");
}

#[tokio::test]
async fn validators_are_sent_and_a_304_reuses_the_body() {
    let server = FakeServer::start().await;
    server.set(
        "/s.json",
        Reply::json(b"{\"v\":1}".to_vec()).header("ETag", "\"v1\""),
    );
    server.set(
        "/m.json",
        Reply::json(b"{\"m\":1}".to_vec()).header("Last-Modified", "Wed, 25 Nov 2026 10:00:00 GMT"),
    );
    let f = fetcher(Duration::from_secs(10), 1 << 20);
    let url = format!("{}/s.json", server.url());
    let first = f.fetch(&url).await.expect("first");
    assert!(!first.not_modified);
    let second = f.fetch(&url).await.expect("second");
    assert!(second.not_modified, "the server said 304");
    assert_eq!(second.body.as_slice(), b"{\"v\":1}");
    assert_eq!(
        server.request_headers("/s.json", "if-none-match"),
        [None, Some("\"v1\"".to_owned())]
    );
    // A changed page is read again.
    server.set(
        "/s.json",
        Reply::json(b"{\"v\":2}".to_vec()).header("ETag", "\"v2\""),
    );
    let third = f.fetch(&url).await.expect("third");
    assert!(!third.not_modified);
    assert_eq!(third.body.as_slice(), b"{\"v\":2}");

    let url = format!("{}/m.json", server.url());
    f.fetch(&url).await.expect("first");
    f.fetch(&url).await.expect("second");
    assert_eq!(
        server.request_headers("/m.json", "if-modified-since"),
        [None, Some("Wed, 25 Nov 2026 10:00:00 GMT".to_owned())]
    );
}

#[tokio::test]
async fn requests_name_the_app_and_accept_compression() {
    let server = FakeServer::start().await;
    server.set("/x", Reply::json(b"{}".to_vec()));
    let f = fetcher(Duration::from_secs(10), 1 << 20);
    f.get(&format!("{}/x", server.url())).await.expect("ok");
    assert_eq!(
        server.request_headers("/x", "user-agent"),
        [Some(USER_AGENT.to_owned())]
    );
    assert!(USER_AGENT.starts_with("OutageRadar/0."));
    let enc = server.request_headers("/x", "accept-encoding");
    let enc = enc[0].as_deref().unwrap_or_default();
    assert!(enc.contains("gzip") && enc.contains("br"), "{enc}");
}

#[tokio::test]
async fn plain_http_off_loopback_is_refused_before_any_request() {
    let f = fetcher(Duration::from_secs(10), 1 << 20);
    let err = f
        .get("http://status.example.com/api/v2/summary.json")
        .await
        .expect_err("plain http");
    assert!(matches!(err, FetchError::Url(_)), "{err}");
}

#[tokio::test]
async fn concurrency_is_bounded() {
    let server = FakeServer::start().await;
    server.set(
        "/slow",
        Reply::json(b"{}".to_vec()).delay(Duration::from_millis(300)),
    );
    let f = Fetcher::new(FetchLimits {
        max_concurrent: 2,
        ..FetchLimits::default()
    })
    .expect("client");
    let url = format!("{}/slow", server.url());
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..4 {
        let f = f.clone();
        let url = url.clone();
        set.spawn(async move { f.get(&url).await.map(|b| b.len()) });
    }
    while let Some(r) = set.join_next().await {
        assert_eq!(r.expect("task").expect("get"), 2);
    }
    assert_eq!(server.hits("/slow"), 4);
    assert_eq!(
        server.max_concurrent(),
        2,
        "never more than the bound at once"
    );
}
