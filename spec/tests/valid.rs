//! Valid registries load and mean what they say.

use std::time::Duration;

use errspec::{KeyedBy, NamingStyle, RetryHint};

/// Loads with the built-in targets' language rows (codegen's), as `codegen` does
/// when it renders every target: this crate ships none.
fn load(path: impl AsRef<std::path::Path>) -> Result<errspec::Registry, errspec::Diagnostics> {
    let options = errspec::LoadOptions {
        languages: codegen::targets::built_in_languages().unwrap_or_else(|e| panic!("{e}")),
        ..errspec::LoadOptions::default()
    };
    errspec::load_with(std::path::Path::new(""), path, options)
}

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
        c.entries[0].trigger_text(),
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

/// `retry` left out is no guidance, the hint every target renders as "no retry
/// guidance"; a broken hint is still an error, not "no guidance".
#[test]
fn a_left_out_retry_is_unspecified() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/retry_unspecified.yaml"
    );
    let reg = load(path).unwrap_or_else(|d| panic!("{d}"));
    let e = &reg.catalogs[0].entries;
    assert_eq!(e[0].retry.value, RetryHint::Unspecified);
    assert_eq!(e[0].retry.to_string(), "no retry guidance");
    assert_eq!(e[0].retry.lead(), RetryHint::UNSPECIFIED);
    assert_eq!(e[1].retry.value, RetryHint::After(Duration::from_secs(30)));
    for broken in ["retry: ~", "retry: unknown", "retry: {}"] {
        let text = MINIMAL.replace("retry: never", broken);
        let d = errspec::load_str("http_status.yaml", &text)
            .err()
            .unwrap_or_else(|| panic!("`{broken}` loaded"));
        assert!(d.to_string().contains("retry"), "{broken}: {d}");
    }
}

/// `trigger` left out: the registry does not say (an imported catalog); the
/// model holds nothing, and the targets' data an empty text.
#[test]
fn a_left_out_trigger_is_none() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/trigger_unspecified.yaml"
    );
    let reg = load(path).unwrap_or_else(|d| panic!("{d}"));
    let e = &reg.catalogs[0].entries;
    assert_eq!(
        e[0].trigger.as_ref().map(|t| t.value.as_str()),
        Some("A request names a path that the server does not serve.")
    );
    assert_eq!(e[1].trigger, None);
    assert_eq!(e[1].trigger_text(), "");
    assert_eq!(e[1].retry.value, RetryHint::Unspecified);
    let d = errspec::load_str(
        "http_status.yaml",
        &MINIMAL.replace("trigger: ", "trigger: ~ #"),
    )
    .expect_err("a null trigger loaded");
    assert!(d.to_string().contains("`trigger` is empty"), "{d}");
}

/// A platform whose names are UpperCamelCase beside SCREAMING_SNAKE canonical names
/// (Twilio's iOS constants): each name is judged by the style of the view that
/// publishes it, and a former `ios` name may be retired in the platform's style.
#[test]
fn a_platform_may_name_in_its_own_style() {
    let text = include_str!("fixtures/valid/platform_naming.yaml");
    let reg = errspec::load_str("video.yaml", text).unwrap_or_else(|d| panic!("{d}"));
    let c = &reg.catalogs[0];
    assert_eq!(c.naming_on(None), NamingStyle::ScreamingSnakeCase);
    assert_eq!(c.naming_on(Some("web")), NamingStyle::ScreamingSnakeCase);
    assert_eq!(c.naming_on(Some("ios")), NamingStyle::UpperCamelCase);
    let ios: Vec<&str> = c
        .view("ios")
        .map(|v| v.entries().map(|e| e.name.value.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(ios, ["RoomNotFound", "RoomFull"]);
    // The same name in the catalog's style is still refused on `ios`, at its column.
    let d = errspec::load_str(
        "video.yaml",
        &text.replace("name: RoomFull", "name: ROOM_FULL_"),
    )
    .err()
    .unwrap_or_else(|| panic!("loaded"))
    .to_string();
    assert!(
        d.contains("`ROOM_FULL_` is not in UpperCamelCase (the names of `ios`)")
            && d.contains("video.yaml:21:20"),
        "{d}"
    );
}

#[test]
fn every_optional_feature_loads_into_the_model() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/everything.yaml"
    );
    let reg = load(path).unwrap_or_else(|d| panic!("{d}"));
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
        c.entries[1].trigger_text().contains('\n'),
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
    let reg = load(path).unwrap_or_else(|d| panic!("{d}"));
    let names: Vec<_> = reg.catalogs.iter().map(|c| c.name.value.as_str()).collect();
    assert_eq!(names, ["a_b", "ab", "ab_c"]);
}

/// The parameters fixture every target renders: parts, types and placeholder positions.
#[test]
fn params_split_messages_into_parts_with_positions() {
    use errspec::{ParamType, Part};
    let path = "../tests/fixtures/params.yaml";
    let text = std::fs::read_to_string(path).expect("params fixture");
    let reg = errspec::load_str(path, &text).unwrap_or_else(|d| panic!("{d}"));
    let c = &reg.catalogs[0];
    let by_name = |n: &str| c.entries.iter().find(|e| e.name.value == n).expect(n);
    let text_of = |parts: &[Part]| -> String {
        parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.clone(),
                Part::Param { name, .. } => format!("<{name}>"),
            })
            .collect()
    };
    let busy = by_name("CAMERA_BUSY");
    assert_eq!(
        text_of(&busy.message_parts),
        "Camera <device> is busy in <app_name>."
    );
    assert_eq!(
        text_of(busy.message_parts_on(Some("web"))),
        "<app_name> holds camera <device>."
    );
    // The placeholder's span is the braces, at their line and column.
    let Part::Param { span, .. } = &busy.message_parts[1] else {
        panic!("a parameter part")
    };
    assert_eq!(&text[span.start..span.end], "{device}");
    let stalled = by_name("STREAM_STALLED");
    let types: Vec<(&str, ParamType)> = stalled
        .params
        .iter()
        .map(|p| (p.name.value.as_str(), p.ty.value))
        .collect();
    assert_eq!(
        types,
        [
            ("wait", ParamType::Duration),
            ("frames", ParamType::Int),
            ("live", ParamType::Bool)
        ]
    );
    assert_eq!(
        text_of(&by_name("LITERAL_TEXT").message_parts),
        "Braces { <label> } and {<label>}; ${x} $x \\(x) \"q\" 'a' `b` */ #{x} %s {0}"
    );
    assert_eq!(text_of(&by_name("ONLY_PARAM").message_parts), "<reason>");
    // Without params a message is literal text, braces and all, as before params existed.
    let plain = by_name("PLAIN_MESSAGE");
    assert!(plain.params.is_empty());
    assert_eq!(
        plain.message_parts,
        [Part::Text(plain.message.value.clone())]
    );
}

/// A plain scalar maps placeholder positions exactly; a folded block scalar (whose
/// value is not its source text) points at the whole message instead.
#[test]
fn placeholder_positions_in_plain_and_block_scalars() {
    let yaml = "\
catalog:
  name: media
  title: Media
errors:
  - code: 1
    name: PLAIN
    message: Camera {devise} is busy.
    trigger: t
    retry: never
    params:
      device: { type: string, description: d }
  - code: 2
    name: FOLDED
    message: >-
      Camera {devise}
      is busy.
    trigger: t
    retry: never
    params:
      device: { type: string, description: d }
";
    let diags = errspec::load_str("m.yaml", yaml).expect_err("unknown placeholders");
    let text = diags.render(false);
    assert!(text.contains("--> m.yaml:7:21"), "{text}");
    assert!(text.contains("--> m.yaml:15:7"), "{text}");
}

#[test]
fn duration_parameters_format_like_registry_delays() {
    use errspec::format_duration_ms as f;
    let cases = [
        (0, "0s"),
        (1, "1ms"),
        (1500, "1500ms"),
        (2000, "2s"),
        (120_000, "2m"),
        (90_000, "90s"),
        (3_600_000, "1h"),
        (5_400_000, "90m"),
        (-1500, "-1500ms"),
        (-7_200_000, "-2h"),
    ];
    for (ms, want) in cases {
        assert_eq!(f(ms), want, "{ms} ms");
    }
    for d in [1u64, 999, 1000, 61_000, 3_600_000, 31_536_000_000] {
        assert_eq!(
            f(i128::from(d)),
            errspec::format_duration(Duration::from_millis(d)),
            "{d} ms"
        );
    }
}

/// An override's message is what its view shows, parameters or not.
#[test]
fn override_messages_are_their_views_parts() {
    let path = "tests/fixtures/valid/everything.yaml";
    let text = std::fs::read_to_string(path).expect("fixture");
    let reg = errspec::load_str(path, &text).unwrap_or_else(|d| panic!("{d}"));
    let mut seen = 0;
    for c in &reg.catalogs {
        for view in c.views() {
            for ve in view.entries() {
                if ve.entry.params.is_empty() {
                    assert_eq!(
                        ve.message_parts,
                        [errspec::Part::Text(ve.message.value.clone())],
                        "{}",
                        ve.name.value
                    );
                    seen += usize::from(ve.message.value != ve.entry.message.value);
                }
            }
        }
    }
    assert!(seen > 0, "the fixture has an override message");
}

/// Issue 21: one anchor reused 4,000 times (a retry hint shared by every
/// entry) was refused as an alias bomb, pointing at the file's blank last line.
#[test]
fn one_anchor_reused_thousands_of_times_loads() {
    let mut text = String::from("catalog:\n  name: shared\n  title: Shared\nerrors:\n");
    for i in 0..4_000 {
        let retry = if i == 0 {
            "&r { backoff: { initial: 1s, max: 30s, attempts: 5 } }"
        } else {
            "*r"
        };
        text.push_str(&format!(
            "  - code: {}\n    name: E{i}\n    message: m\n    trigger: t\n    retry: {retry}\n",
            i + 1
        ));
    }
    let registry = errspec::load_str("shared.yaml", &text).unwrap_or_else(|d| {
        panic!(
            "{}",
            d.render(false)
                .lines()
                .take(12)
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    assert_eq!(registry.catalogs[0].entries.len(), 4_000);
}
