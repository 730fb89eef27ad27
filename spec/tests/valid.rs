//! Valid registries load and mean what they say.

use std::time::Duration;

use errspec::{KeyedBy, NamingStyle, RetryHint};

/// The minimal file of the format's definition: it must stay valid and keep this meaning.
const MINIMAL: &str = "\
catalog:
  name: http_status          # snake_case; names generated files and types (HttpStatus)
  title: HTTP status codes
errors:
  - code: 404
    name: NOT_FOUND
    message: The server cannot find the requested resource.
    trigger: A request names a path that the server does not serve.
    retry: never
  - code: 503
    name: SERVICE_UNAVAILABLE
    message: The server is overloaded or down for maintenance.
    trigger: The server cannot take the request right now.
    retry: { after: 30s }
";

#[test]
fn minimal_catalog_means_what_it_says() {
    let reg = errspec::load_str("http_status.yaml", MINIMAL).unwrap_or_else(|d| panic!("{d}"));
    let c = &reg.catalogs[0];
    assert_eq!(c.name.value, "http_status");
    assert_eq!(c.title.value, "HTTP status codes");
    assert_eq!(c.keyed_by, KeyedBy::Code);
    assert_eq!(c.naming, NamingStyle::ScreamingSnakeCase);
    assert!(c.platforms.is_empty() && c.categories.is_empty());
    let e: Vec<_> = c
        .entries
        .iter()
        .map(|e| (e.code.as_ref().map(|c| c.value), e.name.value.as_str()))
        .collect();
    assert_eq!(
        e,
        [(Some(404), "NOT_FOUND"), (Some(503), "SERVICE_UNAVAILABLE")]
    );
    assert_eq!(
        c.entries[0].message.value,
        "The server cannot find the requested resource."
    );
    assert_eq!(
        c.entries[0].trigger.value,
        "A request names a path that the server does not serve."
    );
    assert_eq!(c.entries[0].retry.value, RetryHint::Never);
    assert_eq!(
        c.entries[1].retry.value,
        RetryHint::After(Duration::from_secs(30))
    );
    assert_eq!(
        errspec::ident::upper_camel(&c.name.value.to_uppercase()),
        "HttpStatus"
    );
}

#[test]
fn every_optional_feature_loads_into_the_model() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/everything.yaml"
    );
    let reg = errspec::load(path).unwrap_or_else(|d| panic!("{d}"));
    let c = &reg.catalogs[0];
    assert_eq!(
        c.platforms
            .iter()
            .map(|p| p.id.value.as_str())
            .collect::<Vec<_>>(),
        ["web", "flutter"]
    );
    assert_eq!(c.categories.len(), 2);
    let joined = &c.entries[0];
    assert_eq!(
        joined
            .aliases
            .iter()
            .map(|a| a.value.as_str())
            .collect::<Vec<_>>(),
        ["OLD_GONE"]
    );
    assert_eq!(
        joined.deprecated.as_ref().map(|d| d.value.as_str()),
        Some("Use the web name.")
    );
    assert_eq!(
        joined.docs.as_ref().map(|d| d.value.as_str()),
        Some("https://example.com/errors#410")
    );
    assert_eq!(joined.name_on(Some("flutter")).value, "GONE_FOR_GOOD");
    assert_eq!(joined.name_on(Some("web")).value, "GONE");
    assert_eq!(
        joined.message_on(Some("flutter")).value,
        "Gone, and Flutter says so."
    );
    assert_eq!(
        joined.retry.value,
        RetryHint::Backoff {
            initial: Duration::from_millis(500),
            max: Duration::from_secs(120),
            max_attempts: 4
        }
    );
    assert_eq!(
        c.entries[1].retry.value,
        RetryHint::AfterFix("Sign in again.".into())
    );
    assert!(
        c.entries[1].trigger.value.contains('\n'),
        "triggers may span lines"
    );
    // Availability: the web-only entry is absent from the Flutter view.
    let flutter: Vec<_> = c
        .view("flutter")
        .expect("flutter")
        .entries()
        .map(|e| e.name.value.as_str())
        .collect();
    let web: Vec<_> = c
        .view("web")
        .expect("web")
        .entries()
        .map(|e| e.name.value.as_str())
        .collect();
    assert_eq!(flutter, ["GONE_FOR_GOOD", "UNAUTHENTICATED"]);
    assert_eq!(web, ["GONE", "UNAUTHENTICATED", "WEB_ONLY"]);
    assert!(c.has_platform_differences());
    // The category of an entry without `category` is the one whose range holds its code.
    assert_eq!(
        c.category_of(&c.entries[2]).map(|x| x.id.value.as_str()),
        Some("server")
    );
}

#[test]
fn yaml_1_1_booleans_stay_strings() {
    let text = MINIMAL.replace("retry: never", "retry: never\n    aliases: [NO, Y]");
    let reg = errspec::load_str("t.yaml", &text).unwrap_or_else(|d| panic!("{d}"));
    let aliases: Vec<_> = reg.catalogs[0].entries[0]
        .aliases
        .iter()
        .map(|a| a.value.as_str())
        .collect();
    assert_eq!(aliases, ["NO", "Y"]);
}

#[test]
fn delays_of_exactly_a_year_are_accepted() {
    assert_eq!(errspec::MAX_DURATION, Duration::from_millis(31_536_000_000));
    let text = MINIMAL.replace(
        "retry: { after: 30s }",
        "retry: { after: 8760h }\n  - code: 504\n    name: GATEWAY_TIMEOUT\n    message: The gateway timed out.\n    trigger: An upstream server did not answer.\n    retry: { backoff: { initial: 31536000000ms, max: 525600m, attempts: 2 } }",
    );
    let reg = errspec::load_str("t.yaml", &text).unwrap_or_else(|d| panic!("{d}"));
    let year = errspec::MAX_DURATION;
    let retries: Vec<_> = reg.catalogs[0].entries[1..]
        .iter()
        .map(|e| e.retry.value.clone())
        .collect();
    assert_eq!(
        retries,
        [
            RetryHint::After(year),
            RetryHint::Backoff {
                initial: year,
                max: year,
                max_attempts: 2
            }
        ]
    );
    // One millisecond more is too long.
    let over = MINIMAL.replace("after: 30s", "after: 31536000001ms");
    let err = errspec::load_str("t.yaml", &over).expect_err("over a year");
    let rules: Vec<_> = err.list.iter().map(|d| d.rule.id()).collect();
    assert_eq!(rules, ["duration-too-long"]);
}

#[test]
fn catalogs_whose_identifiers_differ_load_together() {
    // `a_b`, `ab_c` and `ab` become `AB`, `AbC` and `Ab` (and `aB`, `abC`, `ab`):
    // underscores between letters change the case, so none collide.
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/distinct_catalogs"
    );
    let reg = errspec::load(path).unwrap_or_else(|d| panic!("{d}"));
    let names: Vec<_> = reg.catalogs.iter().map(|c| c.name.value.as_str()).collect();
    assert_eq!(names, ["a_b", "ab", "ab_c"]);
}
