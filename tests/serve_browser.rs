//! `imr serve` in a real browser: Debian's chromium, headless, driven through
//! chromedriver. A person types a query, clicks a facet value and sees the count
//! change and the chip appear, opens an item, follows a similar decision, opens
//! the statistics and finds the chart, goes back and forward; on a phone's width
//! too. Screenshots of each page go to `target/tmp/browser-screenshots/`.
//!
//! CI installs chromium and chromium-driver (`.ci/run`) and sets
//! IMR_REQUIRE_BROWSER, so there the test must run; elsewhere, without them, it
//! is skipped.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::cli_search::indexed;
use crate::serve_api::Server;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// chromedriver, running on a free port; stopped when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start() -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver never listened"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver { child, port }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether the browser is here to test with; when it must be, it is.
fn browser_available() -> bool {
    let here = Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
    if !here {
        assert!(
            std::env::var_os("IMR_REQUIRE_BROWSER").is_none(),
            "chromium and chromedriver must be installed (apt-get install chromium chromium-driver)"
        );
        eprintln!("chromium or chromedriver is not installed: skipped");
    }
    here
}

/// A headless chromium session: a desktop window `width` pixels wide, or a phone
/// of that width (its screen emulated, as a window cannot be that narrow).
async fn browser(driver: &Driver, width: u32, height: u32, phone: bool) -> Client {
    let mut options = json!({
        "binary": CHROMIUM,
        "args": [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync",
            format!("--window-size={width},{height}"),
        ],
    });
    if phone {
        options["mobileEmulation"] = json!({
            "deviceMetrics": {"width": width, "height": height, "pixelRatio": 2.0, "mobile": true},
        });
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), options);
    ClientBuilder::rustls()
        .expect("the rustls connector")
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a chromium session")
}

fn screenshots() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.unwrap();
    std::fs::write(screenshots().join(format!("{name}.png")), png).unwrap();
}

/// How long a page may take to come, on a loaded machine.
const PATIENCE: Duration = Duration::from_secs(30);

/// The element `css` of the page, once it is there.
async fn element(client: &Client, css: &str) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
}

/// The page's text of the element `css`.
async fn text_of(client: &Client, css: &str) -> String {
    element(client, css).await.text().await.unwrap()
}

/// Clicks the element `css` and waits for the page it leads to.
async fn follow(client: &Client, css: &str) {
    let before = client.current_url().await.unwrap();
    element(client, css).await.click().await.unwrap();
    let started = Instant::now();
    while client.current_url().await.unwrap() == before {
        assert!(started.elapsed() < PATIENCE, "{css} led nowhere");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let ready = "return document.readyState;";
    while client.execute(ready, vec![]).await.unwrap() != "complete" {
        assert!(started.elapsed() < PATIENCE, "{css}'s page never loaded");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The total the result count line states ("Showing 1–10 of 20 matching items.").
async fn total_shown(client: &Client) -> u64 {
    let count = text_of(client, "p.count").await;
    count
        .split(" of ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_person_searches_filters_opens_items_and_statistics_in_a_browser() {
    if !browser_available() {
        return;
    }
    let ix = indexed();
    let server = Server::start(&ix.index);
    let driver = Driver::start();
    let client = browser(&driver, 1280, 900, false).await;

    client.goto(&format!("{}/", server.address)).await.unwrap();
    screenshot(&client, "1-home").await;
    let search = element(&client, "input[name=q]").await;
    search.send_keys("therapy").await.unwrap();
    follow(&client, "form.search button").await;
    let all = total_shown(&client).await;
    assert!(all > 1, "{}", text_of(&client, "p.count").await);
    screenshot(&client, "2-results").await;

    // A facet value narrows the hits, and shows as a chip that undoes it.
    follow(&client, "aside.facets a[href*='region=knee']").await;
    let narrowed = total_shown(&client).await;
    assert!(narrowed > 0 && narrowed < all, "{narrowed} of {all}");
    let chip = text_of(&client, "ul.chips li.chip").await;
    assert!(chip.contains("region") && chip.contains("knee"), "{chip}");
    let url = client.current_url().await.unwrap();
    assert!(url.as_str().contains("region=knee"), "{url}");
    screenshot(&client, "3-filtered").await;

    // An item, and a similar decision from it.
    follow(&client, "article.hit h2 a").await;
    assert!(text_of(&client, "article.item")
        .await
        .contains("Decision rationale"));
    screenshot(&client, "4-item").await;
    let item_url = client.current_url().await.unwrap();
    follow(&client, "section.similar article.hit h2 a").await;
    let similar_url = client.current_url().await.unwrap();
    assert_ne!(similar_url, item_url);
    assert!(similar_url.path().starts_with("/items/"));
    screenshot(&client, "5-similar").await;

    // Back and forward go through the pages seen.
    client.back().await.unwrap();
    assert_eq!(client.current_url().await.unwrap(), item_url);
    client.forward().await.unwrap();
    assert_eq!(client.current_url().await.unwrap(), similar_url);

    // The statistics of the filtered search: a chart and a table.
    client.goto(url.as_str()).await.unwrap();
    follow(&client, "header nav a[href^='/stats']").await;
    element(&client, "figure.chart svg").await;
    assert!(text_of(&client, "table.stats")
        .await
        .contains("overturn rate"));
    screenshot(&client, "6-statistics").await;
    client.close().await.unwrap();

    // On a phone's width the same page reads top to bottom.
    let phone = browser(&driver, 390, 844, true).await;
    phone.goto(url.as_str()).await.unwrap();
    let widths = phone
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .unwrap();
    let (page, screen) = (widths[0].as_u64().unwrap(), widths[1].as_u64().unwrap());
    assert_eq!(screen, 390, "a phone's screen");
    assert!(
        page <= screen,
        "the page is {page} px wide on a {screen} px phone"
    );
    screenshot(&phone, "7-phone").await;
    phone.close().await.unwrap();
}
