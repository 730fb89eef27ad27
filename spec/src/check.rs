//! Semantic rules over a parsed catalog: everything that needs more than one value to decide.

use std::collections::{HashMap, HashSet};

use crate::diagnostic::{Diagnostic, Rule};
use crate::ident;
use crate::lang::{self, Language, Languages, MAX_FILE_NAME};
use crate::model::{Catalog, Entry, KeyedBy, NamingStyle, ParamType, Part, Spanned};
use crate::parse::Health;
use crate::source::Span;
use crate::suggest::did_you_mean;

/// Pushes every rule violation of one catalog.
/// Rules that depend on a header part that did not parse are skipped (see [`Health`]).
pub(crate) fn catalog(
    c: &Catalog,
    health: Health,
    languages: &Languages,
    diags: &mut Vec<Diagnostic>,
) {
    snake_case_id(&c.name, "catalog name", diags);
    file_names(c, languages, diags);
    let lower = ident::lower_camel(&c.name.value);
    let keyword_in: Vec<&Language> = languages
        .iter()
        .filter(|l| {
            l.catalog_keywords
                .iter()
                .any(|k| *k == c.name.value || *k == lower)
        })
        .collect();
    if !keyword_in.is_empty() {
        diags.push(
            Diagnostic::new(Rule::InvalidId, format!("the catalog name `{}` is a reserved word", c.name.value))
                .primary(c.name.span, format!("a keyword in {}", lang::names_joined(keyword_in.iter().copied(), "or")))
                .help(format!(
                    "the catalog name names a module, an export or a file in {}; choose another, such as `{}_errors`",
                    lang::names_joined(keyword_in.iter().copied(), "and"),
                    c.name.value
                )),
        );
    }
    let type_name = ident::upper_camel(&c.name.value);
    let taken_in: Vec<&Language> = languages
        .iter()
        .filter(|l| l.type_names.contains(&type_name))
        .collect();
    if !taken_in.is_empty() {
        diags.push(
            Diagnostic::new(Rule::InvalidId, format!("the catalog name `{}` would name a type `{type_name}`", c.name.value))
                .primary(c.name.span, "this type name is taken in a target language")
                .help(format!(
                    "`{type_name}` is a type of {} that the generated code or its users need; choose a more specific name such as `{}_errors`",
                    lang::names_joined(taken_in.iter().copied(), "or"),
                    c.name.value
                )),
        );
    }
    single_line(&c.title, "title", diags);
    if let Some(d) = &c.description {
        no_control(d, "description", diags);
    }
    if let Some(d) = &c.delivery {
        no_control(d, "delivery", diags);
    }
    for p in &c.platforms {
        if health.platforms
            && !c.entries.is_empty()
            && !c
                .entries
                .iter()
                .any(|e| e.is_available_on(Some(&p.id.value)))
        {
            diags.push(
                Diagnostic::new(Rule::EmptyField, format!("no error of `{}` exists on the platform `{}`", c.name.value, p.id.value))
                    .primary(p.id.span, "no entry is available here")
                    .help("add the platform to an entry's `platforms`, or remove the platform: an empty view generates no code"),
            );
        }
        snake_case_id(&p.id, "platform id", diags);
        single_line(&p.title, "title", diags);
        if let Some(d) = &p.delivery {
            no_control(d, "delivery", diags);
        }
    }
    let ranges_usable = categories(c, diags) && health.categories && health.keyed_by;
    for e in &c.entries {
        entry(c, e, ranges_usable, health, languages, diags);
    }
    if health.keyed_by {
        keys(c, diags);
        retired(c, health, diags);
    }
    names(c, health, languages, diags);
}

/// Names Windows reserves for devices, in every directory and with any extension.
#[rustfmt::skip]
const WINDOWS_DEVICES: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// The catalog name names files: none a target writes for itself, and none
/// longer than a file system allows once a target (or its compiler) adds its suffix.
fn file_names(c: &Catalog, languages: &Languages, diags: &mut Vec<Diagnostic>) {
    let name = &c.name.value;
    let taken: Vec<&Language> = languages
        .iter()
        .filter(|l| l.reserved_files.iter().any(|f| f == name))
        .collect();
    if !taken.is_empty() {
        let files: Vec<String> = taken
            .iter()
            .flat_map(|l| {
                l.files
                    .first()
                    .map(|f| format!("{} `{}`", l.name, f.form.apply(name) + &f.suffix))
            })
            .collect();
        diags.push(
            Diagnostic::new(
                Rule::InvalidId,
                format!("the catalog name `{name}` names a file the generated code needs for itself"),
            )
            .primary(c.name.span, format!("would write {}", files.join(" and ")))
            .help(format!(
                "{} writes that file beside the catalogs'; choose another name, such as `{name}_errors`",
                taken.iter().map(|l| l.name.as_str()).collect::<Vec<_>>().join(" and ")
            )),
        );
    }
    // Windows opens a device for these names whatever the extension: git cannot
    // check out `aux.ts`.
    if WINDOWS_DEVICES.contains(&name.as_str()) {
        diags.push(
            Diagnostic::new(
                Rule::InvalidId,
                format!("the catalog name `{name}` is a device name on Windows"),
            )
            .primary(c.name.span, "no file can be named so on Windows")
            .help(format!(
                "every target writes a file named after the catalog (`{name}.ts`, `{name}.lock`), which Windows cannot create or check out; choose another name, such as `{name}_errors`"
            )),
        );
    }
    // The Markdown target's page per platform: `<catalog>.<platform>.md`.
    for p in &c.platforms {
        let len = name.len() + p.id.value.len() + ".".len() + ".md".len();
        if len > MAX_FILE_NAME {
            diags.push(
                Diagnostic::new(
                    Rule::InvalidId,
                    format!("the platform id is too long for a file name: {} bytes", p.id.value.len()),
                )
                .primary(p.id.span, format!("its Markdown page `{name}.<platform>.md` would be named with {len} bytes"))
                .help(format!(
                    "file systems allow {MAX_FILE_NAME} bytes in a file name; shorten the platform id to at most {} bytes",
                    p.id.value.len().saturating_sub(len - MAX_FILE_NAME)
                )),
            );
        }
    }
    // `<catalog>.lock`, beside the registry, whatever the targets.
    let lock = (
        name.len() + ".lock".len(),
        "the lock".to_owned(),
        format!("{name}.lock"),
    );
    let longest = languages
        .iter()
        .flat_map(|l| {
            l.files.iter().map(move |f| {
                let file = f.form.apply(name) + &f.suffix;
                (file.len(), format!("the {} {}", l.name, f.what), file)
            })
        })
        .fold(lock, |a, b| if b.0 > a.0 { b } else { a });
    let (len, what, _) = &longest;
    if *len > MAX_FILE_NAME {
        // Enough for every file: no form of the name is longer than the name.
        let longest_suffix = languages
            .iter()
            .flat_map(|l| l.files.iter().map(|f| f.suffix.len()))
            .fold(".lock".len(), usize::max);
        diags.push(
            Diagnostic::new(
                Rule::InvalidId,
                format!("the catalog name is too long for a file name: {} bytes", name.len()),
            )
            .primary(c.name.span, format!("{what} would be named with {len} bytes"))
            .help(format!(
                "file systems allow {MAX_FILE_NAME} bytes in a file name; shorten the catalog name to at most {} bytes",
                MAX_FILE_NAME.saturating_sub(longest_suffix)
            )),
        );
    }
}

/// Checks ids and ranges; returns whether every range is usable for placing codes
/// (a missing or inverted range would make every code near it look misplaced).
fn categories(c: &Catalog, diags: &mut Vec<Diagnostic>) -> bool {
    let before = diags.len();
    let mut ranges = Vec::new();
    for cat in &c.categories {
        snake_case_id(&cat.id, "category id", diags);
        single_line(&cat.title, "title", diags);
        match (c.keyed_by, &cat.codes) {
            (KeyedBy::Code, None) => diags.push(
                Diagnostic::new(Rule::MissingField, format!("category `{}` has no `codes`", cat.id.value))
                    .primary(cat.id.span, "no code range")
                    .help("in a code-keyed catalog every category owns a range: add `codes: { from: 1000, to: 1999 }`"),
            ),
            (KeyedBy::Name, Some(r)) => diags.push(
                Diagnostic::new(Rule::CodeInNameKeyedCatalog, format!("category `{}` has codes in a name-keyed catalog", cat.id.value))
                    .primary(r.span, "entries of this catalog have no codes")
                    .help("remove `codes`, or set `keyed_by: code` in the catalog header"),
            ),
            (KeyedBy::Code, Some(r)) if r.from > r.to => diags.push(
                Diagnostic::new(Rule::InvalidCategoryRange, format!("category `{}` ends before it starts", cat.id.value))
                    .primary(r.span, format!("from {} to {}", r.from, r.to))
                    .help("swap `from` and `to`; both ends are inclusive"),
            ),
            (KeyedBy::Code, Some(r)) => ranges.push((r, &cat.id)),
            (KeyedBy::Name, None) => {}
        }
    }
    let usable = !diags[before..]
        .iter()
        .any(|d| matches!(d.rule, Rule::MissingField | Rule::InvalidCategoryRange));
    // Sorted by start, a range overlaps an earlier one iff it starts at or before the furthest end so far.
    ranges.sort_by_key(|(r, _)| (r.from, r.to));
    let mut furthest: Option<(&Spanned<crate::model::CodeRange>, &Spanned<String>)> = None;
    for (r, id) in ranges {
        if let Some((prev, prev_id)) = furthest {
            if r.from <= prev.to {
                diags.push(
                    Diagnostic::new(
                        Rule::OverlappingCategories,
                        format!(
                            "categories `{}` and `{}` share codes {}..={}",
                            prev_id.value,
                            id.value,
                            r.from,
                            prev.to.min(r.to)
                        ),
                    )
                    .primary(r.span, format!("`{}` starts at {}", id.value, r.from))
                    .secondary(
                        prev.span,
                        format!("`{}` covers {}..={}", prev_id.value, prev.from, prev.to),
                    )
                    .help("make the ranges disjoint so every code belongs to exactly one category"),
                );
            }
            if r.to <= prev.to {
                continue;
            }
        }
        furthest = Some((r, id));
    }
    usable
}

fn entry(
    c: &Catalog,
    e: &Entry,
    ranges_usable: bool,
    health: Health,
    languages: &Languages,
    diags: &mut Vec<Diagnostic>,
) {
    single_line(&e.name, "name", diags);
    single_line(&e.message, "message", diags);
    if let Some(trigger) = &e.trigger {
        no_control(trigger, "trigger", diags);
    }
    if let crate::model::RetryHint::AfterFix(text) = &e.retry.value {
        single_line(
            &Spanned {
                value: text.clone(),
                span: e.retry.span,
            },
            "fix",
            diags,
        );
    }
    if let Some(d) = &e.deprecated {
        no_control(d, "deprecated", diags);
    }
    if health.naming {
        style(c, None, &e.name, diags);
        if health.platforms {
            inherited_styles(c, e, diags);
        }
    }
    repeated(&e.aliases, "alias", diags);
    for alias in &e.aliases {
        single_line(alias, "alias", diags);
        if health.naming {
            style(c, None, alias, diags);
        }
        if alias.value == e.name.value {
            diags.push(
                Diagnostic::new(
                    Rule::DuplicateName,
                    format!("`{}` is listed as an alias of itself", alias.value),
                )
                .primary(alias.span, "same as the entry's name")
                .secondary(e.name.span, "the name")
                .help("remove the alias; an entry always accepts its own name"),
            );
        }
    }
    if let Some(docs) = &e.docs {
        let rest = docs
            .strip_prefix("https://")
            .or_else(|| docs.strip_prefix("http://"));
        let ok = rest.is_some_and(|host| !host.is_empty() && !host.starts_with('/'))
            && !docs.chars().any(|ch| ch.is_whitespace() || ch.is_control());
        if !ok {
            diags.push(
                Diagnostic::new(
                    Rule::InvalidUrl,
                    format!("`docs` of {} is not a web link", e.describe()),
                )
                .primary(docs.span, "not an http(s) URL")
                .help("give the full address, starting with `https://`, without spaces"),
            );
        }
    }
    params(e, languages, diags);
    // A partial entry's category may have been the broken field; its inference would mislead.
    if !e.partial {
        entry_category(c, e, ranges_usable, diags);
    }
    if health.platforms {
        entry_platforms(c, e, health, diags);
    }
}

fn entry_category(c: &Catalog, e: &Entry, ranges_usable: bool, diags: &mut Vec<Diagnostic>) {
    let ids: Vec<&str> = c.categories.iter().map(|x| x.id.value.as_str()).collect();
    match &e.category {
        Some(id) => match c.categories.iter().find(|x| x.id.value == id.value) {
            None => {
                let mut d = Diagnostic::new(Rule::UnknownCategory, format!("{} names an unknown category `{}`", e.describe(), id.value))
                    .primary(id.span, "not declared under `catalog.categories`");
                d = match did_you_mean(&id.value, &ids) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None if ids.is_empty() => d.help("declare the category under `catalog.categories`, or remove `category`"),
                    None => d.help(format!("use one of {}", quoted(&ids))),
                };
                diags.push(d);
            }
            Some(cat) => {
                if let (true, Some(code), Some(range)) = (ranges_usable, &e.code, &cat.codes)
                    && !range.contains(code.value) {
                        diags.push(
                            Diagnostic::new(Rule::CodeOutOfRange, format!("code {} is outside its category `{}`", code.value, cat.id.value))
                                .primary(code.span, format!("not in {}..={}", range.from, range.to))
                                .secondary(range.span, format!("`{}` covers {}..={}", cat.id.value, range.from, range.to))
                                .help("change the code, pick the category whose range holds it, or widen the range"),
                        );
                    }
            }
        },
        None => match (&e.code, c.keyed_by) {
            (Some(code), KeyedBy::Code)
                if ranges_usable && !c.categories.is_empty() && c.category_of(e).is_none() =>
            {
                diags.push(
                    Diagnostic::new(Rule::CodeOutOfRange, format!("code {} belongs to no category", code.value))
                        .primary(code.span, "no category's range holds this code")
                        .help(format!("change the code, widen a range, or add a category; categories are {}", quoted(&ids))),
                );
            }
            (None, KeyedBy::Name) if !c.categories.is_empty() => diags.push(
                Diagnostic::new(Rule::MissingField, format!("{} has no `category`", e.describe()))
                    .primary(e.span, "`category` missing here")
                    .help(format!("name-keyed entries have no code to infer it from: add `category:` with one of {}", quoted(&ids))),
            ),
            _ => {}
        },
    }
}

fn entry_platforms(c: &Catalog, e: &Entry, health: Health, diags: &mut Vec<Diagnostic>) {
    let ids: Vec<&str> = c.platforms.iter().map(|p| p.id.value.as_str()).collect();
    let unknown = |p: &Spanned<String>, diags: &mut Vec<Diagnostic>| {
        if ids.contains(&p.value.as_str()) {
            return true;
        }
        let mut d = Diagnostic::new(
            Rule::UnknownPlatform,
            format!("{} names an unknown platform `{}`", e.describe(), p.value),
        )
        .primary(p.span, "not declared under `catalog.platforms`");
        d = match did_you_mean(&p.value, &ids) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None if ids.is_empty() => d.help("declare the platform under `catalog.platforms`"),
            None => d.help(format!("use one of {}", quoted(&ids))),
        };
        diags.push(d);
        false
    };
    if let Some(list) = &e.platforms {
        repeated(list, "platform", diags);
    }
    for p in e.platforms.iter().flatten() {
        unknown(p, diags);
    }
    for o in &e.overrides {
        if !unknown(&o.platform, diags) {
            continue;
        }
        if !e.is_available_on(Some(&o.platform.value)) {
            diags.push(
                Diagnostic::new(
                    Rule::UnavailablePlatformOverride,
                    format!(
                        "{} overrides `{}` but does not exist there",
                        e.describe(),
                        o.platform.value
                    ),
                )
                .primary(
                    o.platform.span,
                    "override for a platform the entry is not on",
                )
                .help(format!(
                    "add `{}` to the entry's `platforms`, or remove this override",
                    o.platform.value
                )),
            );
        }
        if let Some(name) = &o.name {
            single_line(name, "name", diags);
            if health.naming && health.platforms {
                style(c, Some(&o.platform.value), name, diags);
            }
        }
        if let Some(message) = &o.message {
            single_line(message, "message", diags);
        }
    }
}

/// Retired entries: well-formed, and neither their codes nor their names used by a live entry.
fn retired(c: &Catalog, health: Health, diags: &mut Vec<Diagnostic>) {
    let mut codes: HashMap<u32, &crate::model::Retired> = HashMap::new();
    let mut names: HashMap<&str, &Spanned<String>> = HashMap::new();
    for r in &c.retired {
        match (c.keyed_by, &r.code) {
            (KeyedBy::Code, None) => diags.push(
                Diagnostic::new(
                    Rule::MissingCode,
                    format!("the retired {} has no code", r.describe()),
                )
                .primary(r.span, "`code` missing here")
                .help("give the code it had, so that it stays reserved"),
            ),
            (KeyedBy::Name, Some(code)) => diags.push(
                Diagnostic::new(
                    Rule::CodeInNameKeyedCatalog,
                    "a retired entry has a code in a name-keyed catalog",
                )
                .primary(code.span, "entries of this catalog are keyed by name")
                .help("remove `code`"),
            ),
            (KeyedBy::Code, Some(code)) => {
                if let Some(first) = codes.insert(code.value, r) {
                    let first_span = first.code.as_ref().map_or(first.span, |x| x.span);
                    diags.push(
                        Diagnostic::new(
                            Rule::DuplicateCode,
                            format!("code {} is retired twice", code.value),
                        )
                        .primary(code.span, "retired again here")
                        .secondary(first_span, "first retired here")
                        .help("keep one retired entry per code, listing all its former names"),
                    );
                }
            }
            (KeyedBy::Name, None) => {}
        }
        for name in &r.names {
            single_line(name, "names", diags);
            // A former name may have been a platform's, in that platform's style.
            let platform_style = c
                .platforms
                .iter()
                .filter_map(|p| p.naming.as_ref())
                .any(|n| n.value.accepts(&name.value));
            if health.naming && !(health.platforms && platform_style) {
                style(c, None, name, diags);
            }
            names.entry(&name.value).or_insert(name);
        }
        single_line(&r.when, "when", diags);
        no_control(&r.why, "why", diags);
    }
    for e in &c.entries {
        if let Some(code) = &e.code
            && let Some(r) = codes.get(&code.value)
        {
            let at = r.code.as_ref().map_or(r.span, |x| x.span);
            diags.push(
                Diagnostic::new(Rule::RetiredReused, format!("code {} was retired and cannot be used again", code.value))
                    .primary(code.span, format!("{} reuses it", e.name.value))
                    .secondary(at, format!("retired ({}): {}", r.when.value, r.why.value))
                    .help("apps in the field still match on retired codes: give the new error a code never used before"),
            );
        }
        let live = std::iter::once(&e.name)
            .chain(&e.aliases)
            .chain(e.overrides.iter().filter_map(|o| o.name.as_ref()));
        for name in live {
            if let Some(old) = names.get(name.value.as_str()) {
                diags.push(
                    Diagnostic::new(Rule::RetiredReused, format!("the name `{}` was retired and cannot be used again", name.value))
                        .primary(name.span, format!("used by {}", e.describe()))
                        .secondary(old.span, "retired here")
                        .help("apps in the field may still match on a retired name: choose a name never used before"),
                );
            }
        }
    }
}

/// Codes: present exactly when the catalog is code-keyed, and unique.
fn keys(c: &Catalog, diags: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<u32, &Entry> = HashMap::with_capacity(c.entries.len());
    for e in &c.entries {
        match (c.keyed_by, &e.code) {
            (KeyedBy::Code, None) if !e.partial => diags.push(
                Diagnostic::new(Rule::MissingCode, format!("{} has no code", e.name.value))
                    .primary(e.span, "`code` missing here")
                    .help("add `code:` with the number apps receive, or set `keyed_by: name` if the catalog has no codes"),
            ),
            (KeyedBy::Name, Some(code)) => diags.push(
                Diagnostic::new(Rule::CodeInNameKeyedCatalog, format!("{} has a code in a name-keyed catalog", e.name.value))
                    .primary(code.span, "entries of this catalog are keyed by name")
                    .help("remove `code`, or set `keyed_by: code` in the catalog header"),
            ),
            (KeyedBy::Code, Some(code)) => {
                if let Some(first) = seen.get(&code.value) {
                    let first_span = first.code.as_ref().map_or(first.span, |c| c.span);
                    diags.push(
                        Diagnostic::new(Rule::DuplicateCode, format!("code {} is used by both {} and {}", code.value, first.name.value, e.name.value))
                            .primary(code.span, format!("{} uses it again", e.name.value))
                            .secondary(first_span, format!("first used by {}", first.name.value))
                            .help("give each entry its own code; apps tell errors apart by it"),
                    );
                } else {
                    seen.insert(code.value, e);
                }
            }
            (KeyedBy::Name, None) | (KeyedBy::Code, None) => {}
        }
    }
}

/// Names: unique within each platform view, and unique once turned into identifiers.
fn names(c: &Catalog, health: Health, languages: &Languages, diags: &mut Vec<Diagnostic>) {
    // The same pair of places can clash in several views; report it once.
    let mut reported: HashSet<(Span, Span)> = HashSet::new();
    // Platform views, and the canonical view too: canonical names identify entries everywhere.
    // Without its platforms the views are unknown: check the canonical names only.
    let mut views = if health.platforms {
        c.views()
    } else {
        Vec::new()
    };
    if views.is_empty() || !c.platforms.is_empty() {
        views.push(c.canonical_view());
    }
    for view in views {
        let on = view
            .platform_id()
            .map(|p| format!(" on `{p}`"))
            .unwrap_or_default();
        // Every name that resolves to an entry in this view: its view name, canonical name and aliases.
        let mut by_name: HashMap<&str, (&Spanned<String>, &Entry)> = HashMap::new();
        let mut by_ident: Vec<HashMap<String, &Spanned<String>>> =
            languages.iter().map(|_| HashMap::new()).collect();
        for ve in view.entries() {
            let e = ve.entry;
            let mut own: Vec<&Spanned<String>> = vec![ve.name];
            if ve.name.value != e.name.value {
                own.push(&e.name);
            }
            own.extend(
                e.aliases
                    .iter()
                    .filter(|a| a.value != e.name.value && a.value != ve.name.value),
            );
            for name in own {
                match by_name.get(name.value.as_str()) {
                    Some((first, other)) if !std::ptr::eq(*other, e) => {
                        if reported.insert((first.span, name.span)) {
                            diags.push(
                                Diagnostic::new(Rule::DuplicateName, format!("the name `{}` means two errors{on}", name.value))
                                    .primary(name.span, format!("used by {}", e.describe()))
                                    .secondary(first.span, format!("already used by {}", other.describe()))
                                    .help("rename one: canonical names are unique in the whole catalog, and platform names and aliases within each platform"),
                            );
                        }
                        continue;
                    }
                    Some(_) => continue,
                    None => {
                        by_name.insert(&name.value, (name, e));
                    }
                }
                // A platform that renames an entry declares no identifier for its
                // canonical name (`fromName` accepts it as a string): `RoomNotFound`
                // on a platform beside the canonical `ROOM_NOT_FOUND` is no clash.
                if std::ptr::eq(name, &e.name) && ve.name.value != e.name.value {
                    continue;
                }
                for (target, seen) in languages.iter().zip(by_ident.iter_mut()) {
                    let ident = target.ident(&name.value);
                    match seen.get(&ident) {
                        Some(first) if first.value != name.value => {
                            if reported.insert((first.span, name.span)) {
                                diags.push(
                                    Diagnostic::new(
                                        Rule::IdentifierCollision,
                                        format!("`{}` and `{}` both become `{ident}` in {}{on}", first.value, name.value, target.name),
                                    )
                                    .primary(name.span, format!("becomes `{ident}`"))
                                    .secondary(first.span, format!("also becomes `{ident}`"))
                                    .help("rename one so the names differ by more than underscores or case"),
                                );
                            }
                        }
                        Some(_) => {}
                        None => {
                            seen.insert(ident, name);
                        }
                    }
                }
            }
        }
    }
}

/// `name`, published in the canonical view (`platform` `None`) or on `platform`,
/// spelled in that view's naming style.
fn style(c: &Catalog, platform: Option<&str>, name: &Spanned<String>, diags: &mut Vec<Diagnostic>) {
    let naming = c.naming_on(platform);
    // A name with a control character or line break is already reported as such.
    if !naming.accepts(&name.value) && !name.value.chars().any(char::is_control) {
        let example = match naming {
            NamingStyle::ScreamingSnakeCase => "`INVALID_API_KEY`",
            NamingStyle::UpperCamelCase => "`SecurityError`",
        };
        let on = platform
            .map(|p| format!(" (the names of `{p}`)"))
            .unwrap_or_default();
        let change = match platform {
            Some(p) => format!("`naming` of the platform `{p}`"),
            None => "`naming` in the catalog header".to_owned(),
        };
        diags.push(
            Diagnostic::new(Rule::NamingStyle, format!("`{}` is not in {}{on}", name.value, naming.as_str()))
                .primary(name.span, offending_char(naming, &name.value))
                .help(format!(
                    "spell it like {example}: ASCII letters and digits{}, starting with an upper-case letter; or change {change}",
                    if naming == NamingStyle::ScreamingSnakeCase { " in upper case and underscores" } else { "" }
                )),
        );
    }
}

/// On a platform whose names have a style of their own, an entry without a name
/// there publishes its canonical name: one that style must accept too.
fn inherited_styles(c: &Catalog, e: &Entry, diags: &mut Vec<Diagnostic>) {
    for p in &c.platforms {
        let Some(naming) = &p.naming else { continue };
        let id = p.id.value.as_str();
        let renamed = e.override_for(id).is_some_and(|o| o.name.is_some());
        if renamed
            || !e.is_available_on(Some(id))
            || naming.value.accepts(&e.name.value)
            || e.name.value.chars().any(char::is_control)
        {
            continue;
        }
        diags.push(
            Diagnostic::new(
                Rule::NamingStyle,
                format!(
                    "`{}` is the name of {} on `{id}`, whose names are {}",
                    e.name.value,
                    e.describe(),
                    naming.value.as_str()
                ),
            )
            .primary(e.name.span, format!("published on `{id}` as it is"))
            .secondary(naming.span, "the platform's style")
            .help(format!(
                "give the entry its `{id}` name in {}: `overrides: {{ {id}: {{ name: ... }} }}`",
                naming.value.as_str()
            )),
        );
    }
}

/// Names the first character the style rejects, visible even when it is a space.
fn offending_char(naming: NamingStyle, name: &str) -> String {
    // One pass: a name of a million characters must not cost a million checks of each prefix.
    let rejected = name.chars().enumerate().find(|&(i, ch)| {
        let ok = if i == 0 {
            ch.is_ascii_uppercase()
        } else {
            match naming {
                NamingStyle::ScreamingSnakeCase => {
                    ch.is_ascii_uppercase() || ch.is_ascii_digit() || ch == '_'
                }
                NamingStyle::UpperCamelCase => ch.is_ascii_alphanumeric(),
            }
        };
        !ok
    });
    match rejected {
        Some((i, ch)) => {
            let shown = if ch.is_ascii_graphic() {
                format!("`{ch}`")
            } else {
                format!("U+{:04X}", ch as u32)
            };
            format!("{shown} is not allowed here (character {})", i + 1)
        }
        None => format!("the catalog's names are {}", naming.as_str()),
    }
}

fn snake_case_id(id: &Spanned<String>, what: &str, diags: &mut Vec<Diagnostic>) {
    let ok = id.value.starts_with(|c: char| c.is_ascii_lowercase())
        && id.value.split('_').all(|w| !w.is_empty())
        && id
            .value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !ok {
        diags.push(
            Diagnostic::new(
                Rule::InvalidId,
                format!("{what} `{}` is not snake_case", id.value),
            )
            .primary(
                id.span,
                "expected lower-case words joined by single underscores",
            )
            .help(format!("write it like `{}`", suggest_snake(&id.value))),
        );
    }
}

fn suggest_snake(s: &str) -> String {
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 && !out.ends_with('_') {
            out.push('_');
        }
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_matches('_').to_owned();
    if out.starts_with(|c: char| c.is_ascii_lowercase()) {
        out
    } else {
        format!("x_{out}")
    }
}

/// Parameters: names every target can spell, each used by every message of the
/// entry, and no placeholder without its parameter.
/// A row's limit on a formatter's argument slots (the JVM passes at most 255
/// to a method; Kotlin's formatter is one static method, whose `Long` and
/// `Duration` arguments take two each): kotlinc compiles more, and the JVM
/// refuses to load it.
fn param_slots(e: &Entry, languages: &Languages, diags: &mut Vec<Diagnostic>) {
    for l in languages.iter() {
        let Some(rules) = &l.params else { continue };
        let Some(limit) = &rules.max_slots else {
            continue;
        };
        let mut slots = 0;
        for p in &e.params {
            slots += rules.of(p.ty.value).slots;
            if slots > limit.max {
                let widths: Vec<String> = [
                    ParamType::String,
                    ParamType::Int,
                    ParamType::Bool,
                    ParamType::Duration,
                ]
                .into_iter()
                .map(|t| format!("`{}` {}", t.id(), rules.of(t).slots))
                .collect();
                diags.push(
                    Diagnostic::new(
                        Rule::TooManyParams,
                        format!(
                            "the message of `{}` has more parameters than {}'s formatter can take",
                            e.name.value, l.name
                        ),
                    )
                    .primary(p.name.span, format!("past {}'s limit", l.name))
                    .help(format!(
                        "{} takes at most {} parameter slots (slots per type: {}); split the message, or leave the {} target out of `targets`",
                        limit.holder,
                        limit.max,
                        widths.join(", "),
                        l.id
                    )),
                );
                break;
            }
        }
    }
}

fn params(e: &Entry, languages: &Languages, diags: &mut Vec<Diagnostic>) {
    // The languages that write formatters, each with its spelling of a parameter.
    let spelling: Vec<(&Language, &lang::ParamRules)> = languages
        .iter()
        .filter_map(|l| Some((l, l.params.as_ref()?)))
        .collect();
    for p in &e.params {
        let name = &p.name.value;
        if !is_param_name(name) {
            diags.push(
                Diagnostic::new(Rule::InvalidParamName, format!("the parameter name `{name}` is not snake_case"))
                    .primary(p.name.span, "not snake_case")
                    .help(format!("write it in lower case with single underscores between words, such as `{}`; each target spells it in its own case (`device_id`, `deviceId`)", suggest_snake(name))),
            );
        } else {
            let langs: Vec<&str> = spelling
                .iter()
                .filter(|(l, rules)| l.is_param_keyword(&rules.case.apply(name)))
                .map(|(l, _)| l.name.as_str())
                .collect();
            if !langs.is_empty() {
                diags.push(
                    Diagnostic::new(Rule::InvalidParamName, format!("the parameter name `{name}` is a keyword in {}", langs.join(", ")))
                        .primary(p.name.span, "a reserved word")
                        .help(format!("every call site names the argument, so it must need no escape in any target: choose another name, such as `{name}_value` or a more specific word")),
                );
            }
        }
        if !p.description.value.is_empty() {
            single_line(&p.description, "description", diags);
        }
    }
    // Two parameters a target spells alike (`a_1` and `a1` are both `a1` in
    // camelCase): per language, each spelling's first parameter, so that the
    // check is linear in the parameters. A parameter is reported against the
    // earliest one it collides with, in the languages where they collide.
    let mut firsts: Vec<HashMap<String, usize>> = vec![HashMap::new(); spelling.len()];
    for (i, p) in e.params.iter().enumerate() {
        let idents: Vec<String> = spelling
            .iter()
            .map(|(_, rules)| rules.case.apply(&p.name.value))
            .collect();
        let first = firsts
            .iter()
            .zip(&idents)
            .filter_map(|(seen, ident)| seen.get(ident).copied())
            .min();
        for (seen, ident) in firsts.iter_mut().zip(&idents) {
            seen.entry(ident.clone()).or_insert(i);
        }
        let Some(first) = first else {
            continue;
        };
        let langs: Vec<&str> = spelling
            .iter()
            .zip(firsts.iter().zip(&idents))
            .filter(|(_, (seen, ident))| seen.get(*ident) == Some(&first))
            .map(|((l, _), _)| l.name.as_str())
            .collect();
        let ident = spelling
            .iter()
            .zip(&idents)
            .find(|((l, _), _)| Some(&l.name.as_str()) == langs.first())
            .map(|(_, ident)| ident.clone())
            .unwrap_or_default();
        let first = &e.params[first];
        diags.push(
            Diagnostic::new(
                Rule::IdentifierCollision,
                format!(
                    "the parameters `{}` and `{}` are both `{ident}` in {}",
                    first.name.value,
                    p.name.value,
                    langs.join(", ")
                ),
            )
            .primary(p.name.span, "spelt like the other one")
            .secondary(first.name.span, "this parameter")
            .help("rename one of them so that they differ by more than underscores"),
        );
    }
    param_slots(e, languages, diags);
    let declared: Vec<&str> = e.params.iter().map(|p| p.name.value.as_str()).collect();
    // Looked up by name: a scan per placeholder would be quadratic.
    let is_declared: HashSet<&str> = declared.iter().copied().collect();
    let unknown = |parts: &[Part], diags: &mut Vec<Diagnostic>| {
        for part in parts {
            let Part::Param { name, span } = part else {
                continue;
            };
            if is_declared.contains(name.as_str()) {
                continue;
            }
            let mut d = Diagnostic::new(
                Rule::UnknownPlaceholder,
                format!(
                    "the message of {} uses `{{{name}}}`, which is no parameter of it",
                    e.describe()
                ),
            )
            .primary(*span, "no such parameter");
            d = match (is_declared.contains(name.trim()), did_you_mean(name, &declared)) {
                (true, _) => d.help(format!("write `{{{}}}` without spaces inside the braces", name.trim())),
                (false, Some(s)) => d.help(format!("did you mean `{{{s}}}`?")),
                (false, None) if declared.is_empty() => d.help(format!("declare it under the entry's `params` (`{}: {{ type: string, description: \"...\" }}`), or write `{{{{` and `}}}}` for literal braces", name.trim())),
                (false, None) => d.help(format!("declare it under `params`, or use one of {}; `{{{{` and `}}}}` write literal braces", quoted(&declared))),
            };
            diags.push(d);
        }
    };
    unknown(&e.message_parts, diags);
    // A message with broken braces lost its placeholders: which parameters it uses is unknown.
    if e.partial {
        for o in &e.overrides {
            if let Some(parts) = &o.message_parts {
                unknown(parts, diags);
            }
        }
        return;
    }
    fn used(parts: &[Part]) -> HashSet<&str> {
        parts
            .iter()
            .filter_map(|p| match p {
                Part::Param { name, .. } => Some(name.as_str()),
                Part::Text(_) => None,
            })
            .collect()
    }
    let used_by_message = used(&e.message_parts);
    for p in &e.params {
        if !used_by_message.contains(p.name.value.as_str()) {
            diags.push(
                Diagnostic::new(Rule::UnusedParam, format!("{} declares the parameter `{}` but its message never uses it", e.describe(), p.name.value))
                    .primary(p.name.span, "declared here")
                    .secondary(e.message.span, format!("no `{{{}}}` in this message", p.name.value))
                    .help(format!("write `{{{}}}` where the value belongs in the message, or remove the parameter", p.name.value)),
            );
        }
    }
    for o in &e.overrides {
        let (Some(message), Some(parts)) = (&o.message, &o.message_parts) else {
            continue;
        };
        unknown(parts, diags);
        let used_here = used(parts);
        let missing: Vec<&str> = declared
            .iter()
            .copied()
            .filter(|name| !used_here.contains(name))
            .collect();
        if !missing.is_empty() {
            let list = missing
                .iter()
                .map(|m| format!("`{{{m}}}`"))
                .collect::<Vec<_>>()
                .join(", ");
            diags.push(
                Diagnostic::new(Rule::OverrideParamsDiffer, format!("the `{}` message of {} leaves out {list}", o.platform.value, e.describe()))
                    .primary(message.span, format!("no {list} here"))
                    .secondary(e.message.span, "the entry's message uses every parameter")
                    .help("a platform's message takes the same arguments as the entry's: use every parameter in it, since each target's formatter has one signature"),
            );
        }
    }
}

/// `device`, `device_id`, `retry_2`: lower case, digits, single inner underscores.
fn is_param_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && !name.ends_with('_')
        && !name.contains("__")
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Names, messages and titles are one line with no control characters.
fn single_line(text: &Spanned<String>, field: &str, diags: &mut Vec<Diagnostic>) {
    if text.value.contains(['\n', '\r']) {
        diags.push(
            Diagnostic::new(Rule::MultiLineText, format!("`{field}` must be a single line"))
                .primary(text.span, "this text has a line break")
                .help(format!("keep `{field}` to one line (a `>` or `|` block keeps a final line break: use `>-`); put details in `trigger`, which may span lines")),
        );
    } else if let Some(ch) = text.value.chars().find(|&c| is_forbidden(c)) {
        diags.push(control_character(text, field, ch));
    }
}

/// Markdown fields may have line breaks and tabs, but no other control characters.
fn no_control(text: &Spanned<String>, field: &str, diags: &mut Vec<Diagnostic>) {
    if let Some(ch) = text
        .value
        .chars()
        .find(|&c| is_forbidden(c) && !matches!(c, '\n' | '\r' | '\t'))
    {
        diags.push(control_character(text, field, ch));
    }
}

/// Control characters, the bidirectional embeddings, overrides and isolates
/// that can make text display differently from what it is ("Trojan Source"),
/// and the Unicode line and paragraph separators. Marks such as U+200F
/// (right-to-left mark) and joiners stay allowed: real text needs them.
fn is_forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

fn control_character(text: &Spanned<String>, field: &str, ch: char) -> Diagnostic {
    Diagnostic::new(
        Rule::ControlCharacter,
        format!("`{field}` contains the invisible control character U+{:04X}", ch as u32),
    )
    .primary(text.span, "invisible control character in this text")
    .help("remove it; control characters (tabs too, in one-line fields) and bidirectional overrides break or disguise generated code and docs; a YAML escape such as \\t or \\u202E in double quotes produces one")
}

/// A value listed twice in one list.
fn repeated(list: &[Spanned<String>], what: &str, diags: &mut Vec<Diagnostic>) {
    // Linear: a list of thousands of aliases must not cost their square.
    let mut seen: HashMap<&str, &Spanned<String>> = HashMap::with_capacity(list.len());
    for item in list {
        if let Some(first) = seen.get(item.value.as_str()).copied().or_else(|| {
            seen.insert(&item.value, item);
            None
        }) {
            diags.push(
                Diagnostic::new(
                    Rule::DuplicateName,
                    format!("the {what} `{}` is listed twice", item.value),
                )
                .primary(item.span, "listed again")
                .secondary(first.span, "first listed here")
                .help("remove the repetition"),
            );
        }
    }
}

fn quoted(ids: &[&str]) -> String {
    ids.iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
