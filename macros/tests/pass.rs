//! The expansion, used: shipped catalogs and a hostile-text fixture, checked
//! against the registry as errspec loads it (not against literals copied here).

use std::collections::HashSet;
use std::str::FromStr;
use std::time::Duration;

use errspec::{Catalog, Registry, RetryHint};

errspec_macros::catalog!("../spec/registry/sdk.yaml");
errspec_macros::catalog!("../spec/registry/ice.yaml");
errspec_macros::catalog!("../spec/registry/recorder.yaml");
errspec_macros::catalog!("../tests/fixtures/hostile.yaml");
errspec_macros::catalog!("../tests/fixtures/regressions.yaml");

mod web {
    errspec_macros::catalog!("../spec/registry/sdk.yaml", platform = "web", vis = pub(crate));
}
mod flutter {
    errspec_macros::catalog!("../spec/registry/sdk.yaml", platform = "flutter");
}
mod hostile_flutter {
    errspec_macros::catalog!(
        "../tests/fixtures/hostile.yaml",
        platform = "flutter",
        serde = true
    );
}

/// Every visibility the hand-written argument parser accepts, and a macro_rules!
/// `$path:literal` (a `None`-delimited group around the literal).
mod visibility {
    pub mod inner {
        errspec_macros::catalog!("../spec/registry/ice.yaml", vis = pub(in crate::visibility));
        pub mod deeper {
            errspec_macros::catalog!("../spec/registry/recorder.yaml", vis = pub(super));
        }
        pub(crate) fn recorder_count() -> usize {
            deeper::Recorder::all().len()
        }
    }
    mod own {
        errspec_macros::catalog!("../spec/registry/recorder.yaml", vis = pub(self));
        pub(super) fn count() -> usize {
            Recorder::all().len()
        }
    }
    macro_rules! from_rules {
        ($path:literal) => {
            pub mod passed {
                errspec_macros::catalog!($path, serde = false,);
            }
        };
    }
    from_rules!("../spec/registry/recorder.yaml");

    pub fn counts() -> [usize; 4] {
        [
            inner::Ice::all().len(),
            inner::recorder_count(),
            own::count(),
            passed::Recorder::all().len(),
        ]
    }
}

#[test]
fn every_visibility_and_a_forwarded_literal() {
    let [ice, recorder, own, passed] = visibility::counts();
    assert_eq!(
        ice,
        load("../spec/registry/ice.yaml").catalogs[0].entries.len()
    );
    assert_eq!([recorder, own, passed], [3, 3, 3]);
}

fn load(path: &str) -> Registry {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    errspec::load(&full).unwrap_or_else(|d| panic!("{d}"))
}

fn retry_matches(hint: &RetryHint, after: Option<Duration>, retryable: bool, shown: String) {
    let expected_after = match hint {
        RetryHint::Never | RetryHint::AfterFix(_) | RetryHint::Unspecified => None,
        RetryHint::After(d) => Some(*d),
        RetryHint::Backoff { initial, .. } => Some(*initial),
    };
    assert_eq!(after, expected_after);
    assert_eq!(
        retryable,
        !matches!(hint, RetryHint::Never | RetryHint::Unspecified)
    );
    // The registry's sentence, word for word: the docs print the same.
    assert_eq!(shown, hint.to_string(), "the retry hint's Display");
}

/// Checks every generated accessor of one view against the registry.
macro_rules! check_view {
    ($ty:ty, $catalog:expr, $platform:expr) => {{
        let catalog: &Catalog = $catalog;
        let view = match $platform {
            Some(p) => catalog.view(p).expect("platform"),
            None => catalog.canonical_view(),
        };
        let entries: Vec<_> = view.entries().collect();
        assert_eq!(<$ty>::all().len(), entries.len());
        for (e, ve) in <$ty>::all().iter().zip(&entries) {
            assert_eq!(e.name(), ve.name.value, "name");
            assert_eq!(e.message(), ve.message.value, "message of {}", e.name());
            assert_eq!(
                e.trigger(),
                ve.entry.trigger_text(),
                "trigger of {}",
                e.name()
            );
            assert_eq!(e.docs(), ve.entry.docs.as_ref().map(|d| d.value.as_str()));
            assert_eq!(
                e.deprecation(),
                ve.entry.deprecated.as_ref().map(|d| d.value.as_str())
            );
            assert_eq!(e.to_string(), ve.message.value, "Display is the message");
            assert_eq!(<$ty>::from_name(e.name()), Some(*e));
            assert_eq!(<$ty>::from_str(e.name()).ok(), Some(*e));
            assert_eq!(
                <$ty>::from_name(&ve.entry.name.value),
                Some(*e),
                "canonical name accepted"
            );
            for alias in &ve.entry.aliases {
                assert_eq!(
                    <$ty>::from_name(&alias.value),
                    Some(*e),
                    "alias {}",
                    alias.value
                );
            }
            retry_matches(
                &ve.entry.retry.value,
                e.retry().retry_after(),
                e.retry().is_retryable(),
                e.retry().to_string(),
            );
        }
        assert!(<$ty>::from_name("NO_SUCH_ERROR").is_none());
        assert!(<$ty>::from_str("").is_err());
        entries
    }};
}

macro_rules! check_codes {
    ($ty:ty, $entries:expr) => {{
        let codes: HashSet<u32> = $entries
            .iter()
            .filter_map(|e| e.entry.code.as_ref().map(|c| c.value))
            .collect();
        for (e, ve) in <$ty>::all().iter().zip($entries.iter()) {
            let code = ve.entry.code.as_ref().expect("code").value;
            assert_eq!(e.code(), code);
            assert_eq!(<$ty>::from_code(code), Some(*e));
            assert_eq!(<$ty>::try_from(code), Ok(*e));
            assert_eq!(u32::from(*e), code);
        }
        let unused = (0..).find(|c| !codes.contains(c)).expect("a free code");
        assert_eq!(<$ty>::from_code(unused), None);
        assert_eq!(<$ty>::try_from(unused), Err(unused));
    }};
}

#[test]
fn shipped_catalogs_match_the_registry() {
    let reg = load("../spec/registry");
    let sdk = reg.catalog("sdk").expect("sdk");
    let e = check_view!(Sdk, sdk, None::<&str>);
    check_codes!(Sdk, e);
    let e = check_view!(web::Sdk, sdk, Some("web"));
    check_codes!(web::Sdk, e);
    let e = check_view!(flutter::Sdk, sdk, Some("flutter"));
    check_codes!(flutter::Sdk, e);
    let e = check_view!(Ice, reg.catalog("ice").expect("ice"), None::<&str>);
    check_codes!(Ice, e);
    check_view!(
        Recorder,
        reg.catalog("recorder").expect("recorder"),
        None::<&str>
    );
}

#[test]
#[allow(deprecated)] // uses the alias consts on purpose
fn platform_views_use_the_platforms_names() {
    assert_eq!(
        web::Sdk::MaxPartcipantReached.name(),
        "MAX_PARTCIPANT_REACHED"
    );
    assert_eq!(
        flutter::Sdk::MaxParticipantReached.name(),
        "MAX_PARTICIPANT_REACHED"
    );
    assert_eq!(
        flutter::Sdk::from_code(3011),
        Some(flutter::Sdk::ErrorStartingVideo)
    );
    assert_eq!(flutter::Sdk::from_code(3014), None, "not on Flutter");
    assert_eq!(
        Sdk::from_code(4009).map(Sdk::name),
        Some("MAX_PARTICIPANT_REACHED")
    );
    assert_eq!(Ice::UNAUTHORIZED, Ice::Unauthenticated, "alias const");
    assert_eq!(Ice::from_name("UNAUTHORIZED"), Some(Ice::Unauthenticated));
}

#[test]
fn regression_fixture_matches_the_registry() {
    let reg = load("../tests/fixtures/regressions.yaml");
    let e = check_view!(Regressions, &reg.catalogs[0], None::<&str>);
    check_codes!(Regressions, e);
    // Durations in the registry's units, as the docs print them.
    assert_eq!(
        Regressions::MinutesBackoff.retry().to_string(),
        "retry up to 3 times with exponential backoff from 90s to 2m"
    );
    // A value built by hand with sub-millisecond precision is printed exactly.
    assert_eq!(
        RegressionsRetry::After(Duration::from_micros(1500)).to_string(),
        "retry once after 1.5ms"
    );
}

#[test]
#[allow(deprecated)] // uses the alias consts on purpose
fn hostile_text_survives_byte_for_byte() {
    let reg = load("../tests/fixtures/hostile.yaml");
    let c = &reg.catalogs[0];
    check_view!(Hostile, c, None::<&str>);
    let e = check_view!(hostile_flutter::Hostile, c, Some("flutter"));
    check_codes!(hostile_flutter::Hostile, e);
    // Keywords and our own names are escaped, not rejected.
    assert_eq!(Hostile::Self_.name(), "SELF");
    assert_eq!(Hostile::ALL_, Hostile::Type);
    assert_eq!(Hostile::MATCH, Hostile::Type);
    assert_eq!(
        hostile_flutter::Hostile::FnFlutter.message(),
        "Flutter's \"own\" message"
    );
    assert_eq!(
        std::mem::size_of::<Hostile>(),
        4,
        "a code above u16::MAX needs repr(u32)"
    );
    assert_eq!(std::mem::size_of::<Sdk>(), 2);
    assert_eq!(std::mem::size_of::<Ice>(), 2);
    assert_eq!(
        Hostile::Fn.retry(),
        HostileRetry::Backoff {
            initial: Duration::from_millis(250),
            max: Duration::from_secs(3600),
            max_attempts: u32::MAX
        }
    );
}

#[test]
fn serde_uses_codes() {
    let text = serde_saphyr::to_string(&hostile_flutter::Hostile::Type).expect("serialize");
    assert_eq!(text.trim(), "1");
    let back: hostile_flutter::Hostile = serde_saphyr::from_str("70000").expect("deserialize");
    assert_eq!(back, hostile_flutter::Hostile::FnFlutter);
    let err = serde_saphyr::from_str::<hostile_flutter::Hostile>("3").expect_err("unknown code");
    assert!(
        err.to_string()
            .contains("not a code of the `hostile` catalog"),
        "{err}"
    );
}

#[test]
fn errors_are_std_errors_and_small() {
    fn takes_error(_: &dyn std::error::Error) {}
    takes_error(&Sdk::InvalidApiKey);
    takes_error(&Sdk::from_str("nope").expect_err("unknown"));
    assert_eq!(std::mem::size_of::<Recorder>(), 1);
    assert_eq!(
        Recorder::from_name("SecurityError"),
        Some(Recorder::SecurityError)
    );
}

mod params_web {
    errspec_macros::catalog!("../tests/fixtures/params.yaml", platform = "web");
}

/// The expansion's `ParamsArgs` writes each view's message with the arguments:
/// the web view's reworded message, the format's duration, integer and bool text,
/// and braces and `$` in arguments as themselves; `message()` stays the template.
#[test]
fn message_arguments_format_the_views_message() {
    use params_web::{Params, ParamsArgs};
    let registry = load("../tests/fixtures/params.yaml");
    let web = registry.catalogs[0].view("web").expect("web view");
    let busy = web
        .entries()
        .find(|e| e.entry.name.value == "CAMERA_BUSY")
        .expect("CAMERA_BUSY");
    let (device, app_name) = ("cam {0} ${x}", "\\(app) \"q\"");
    let want: String = busy
        .message_parts
        .iter()
        .map(|p| match p {
            errspec::Part::Text(t) => t.as_str(),
            errspec::Part::Param { name, .. } if name == "device" => device,
            errspec::Part::Param { .. } => app_name,
        })
        .collect();
    let args = ParamsArgs::CameraBusy { device, app_name };
    assert_eq!(args.to_string(), want);
    assert!(
        want.starts_with("\\(app) \"q\" holds camera cam {0} ${x}"),
        "{want}"
    );
    assert_eq!(args.error(), Params::CameraBusy);
    assert_eq!(args.error().message(), busy.message.value);
    let stalled = ParamsArgs::StreamStalled {
        wait: Duration::from_millis(90_000),
        frames: -3,
        live: false,
    };
    assert_eq!(
        stalled.to_string(),
        "Stalled for 90s; -3 frames lost (live: false), 90s in all."
    );
    let counted = ParamsArgs::Counted {
        count: i64::MIN,
        total: 0,
        is_default: true,
    };
    assert_eq!(
        counted.to_string(),
        "-9223372036854775808 of 0 attempts failed, -9223372036854775808 so far; default? true"
    );
    // An error value, borrowing its arguments.
    let e: &dyn std::error::Error = &args;
    assert_eq!(e.to_string(), want);
}

mod rust_only {
    errspec_macros::catalog!("tests/fixtures/rust_only.yaml");
}

/// `catalog!` is judged by Rust's rules alone: a parameter named as a keyword of
/// another target (`is`, `from`) and a catalog named `index` expand and format.
#[test]
fn only_rusts_rules_judge_the_macros_catalog() {
    let args = rust_only::IndexArgs::Moved { from: "a", is: "b" };
    assert_eq!(args.to_string(), "Moved from a: b.");
    assert_eq!(args.error(), rust_only::Index::Moved);
    // The built-in targets' rules refuse it.
    let full =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rust_only.yaml");
    let languages = codegen::targets::built_in_languages().unwrap_or_else(|e| panic!("{e}"));
    let every_target = errspec::LoadOptions {
        languages,
        ..errspec::LoadOptions::default()
    };
    let refused = errspec::load_with(std::path::Path::new(""), &full, every_target)
        .expect_err("not for every target")
        .to_string();
    assert!(
        refused.contains("the catalog name `index` names a file")
            && refused.contains("the parameter name `is` is a keyword in Dart, Kotlin, Swift"),
        "{refused}"
    );
}

/// `<Type>::error`: an error as received, known or not (issue 23), for both keys.
#[test]
fn errors_as_received_keep_unknown_codes_and_names() {
    let known = Sdk::error(4001, "bad key");
    assert_eq!(known.entry(), Some(Sdk::InvalidApiKey));
    assert_eq!(
        (known.code(), known.name(), known.message()),
        (4001, Some("INVALID_API_KEY"), "bad key")
    );
    assert_eq!(known.to_string(), "Sdk 4001 INVALID_API_KEY: bad key");
    let unknown = Sdk::error(999_999, "from a newer server");
    assert_eq!((unknown.entry(), unknown.name()), (None, None));
    assert_eq!(unknown.to_string(), "Sdk 999999: from a newer server");
    assert_eq!(
        SdkError::from(Sdk::InvalidApiKey),
        Sdk::error(4001, Sdk::InvalidApiKey.message())
    );
    let boxed: Box<dyn std::error::Error> = Box::new(unknown);
    assert_eq!(boxed.to_string(), "Sdk 999999: from a newer server");

    let named = Recorder::error("SecurityError", "denied");
    assert_eq!(named.entry(), Some(Recorder::SecurityError));
    assert_eq!(named.to_string(), "Recorder SecurityError: denied");
    let future = Recorder::error("FutureError", "new");
    assert_eq!((future.entry(), future.name()), (None, "FutureError"));
    assert_eq!(future.to_string(), "Recorder FutureError: new");
    // No message received: no `: ` (as TypeScript, Kotlin, Go, Swift and Dart write it).
    assert_eq!(Sdk::error(6001, "").to_string(), "Sdk 6001");
    assert_eq!(Sdk::error(4001, "").to_string(), "Sdk 4001 INVALID_API_KEY");
    assert_eq!(
        Recorder::error("FutureError", "").to_string(),
        "Recorder FutureError"
    );
}
