//! The rules of a target language, as data: how a registry name becomes an
//! identifier, which words it may not be, and how text is written inside a string
//! literal or a doc comment.
//!
//! A [`Language`] row serves the validator (identifier collisions, `check.rs` and
//! `load.rs`) and codegen's generic template helpers (`ident`, `str`, `doc`). A row
//! holds data only, no code. This crate ships no row: codegen reads each template
//! target's from its folder (`codegen/targets/<id>/target.toml`), and `errspec-rust`
//! builds Rust's; the validator judges a registry by the rows it is given
//! ([`crate::LoadOptions::languages`]).

use std::borrow::Cow;
use std::sync::Arc;

use crate::ident::{lower_camel, upper_camel};

/// One target language.
#[derive(Clone, Debug)]
pub struct Language {
    /// The id templates name it by in their header: `language: dart`.
    pub id: String,
    /// The name diagnostics use: `Dart`.
    pub name: String,
    /// How a comment is written: the generated files' preamble.
    pub comment: Comment,
    pub idents: Idents,
    /// String literals; `None` where no template writes them (Rust: `errspec-rust` writes its own).
    pub string: Option<StringRules>,
    /// Doc comments; `None` as for `string`.
    pub doc: Option<DocRules>,
    /// The identifiers a catalog name becomes in this language's generated code;
    /// two catalogs of a registry may share none.
    pub catalog: Vec<CatalogRule>,
    /// Message parameters: their names, types, and how a value becomes text;
    /// `None` for a target that writes no formatter (Markdown).
    pub params: Option<ParamRules>,
    /// The files this target writes for a catalog, and the longest ones its compiler
    /// derives from them (`.d.ts.map`, a nested class's `.class`): each must fit a
    /// file system's name limit, [`MAX_FILE_NAME`].
    pub files: Vec<CatalogRule>,
    /// Names a catalog may not have because its file would be one this target
    /// writes for itself beside the catalogs' (`lib` in `src/lib.rs`, `index` in
    /// `index.ts`) or one its tools read as something else (`main` in `src/main.rs`).
    pub reserved_files: Vec<String>,
    /// The first parts of a dotted name (an option's package) that this language's
    /// tools refuse for a user's code, each with why: kotlinc refuses a package
    /// under `kotlin`, and the JVM will not load a class under `java`.
    pub reserved_packages: Vec<ReservedPackage>,
    /// Whether a package option may have several parts (`com.example.errors`): not in
    /// Go, whose package clause is one identifier.
    pub dotted_packages: bool,
    /// Whether an option's value starts the output's identifiers (C's `prefix`): then
    /// it may not start with `_` nor hold `__` (names C and C++ reserve), nor end with
    /// `_` (the `_` after it would make a `__`).
    pub prefix_packages: bool,
    /// Types the output (or its users) names unqualified that a catalog's enum
    /// (its UpperCamelCase name) would shadow: Kotlin's `@JvmStatic` is no
    /// annotation once a catalog `jvm_static` declares `enum class JvmStatic`.
    pub type_names: Vec<String>,
    /// Words a catalog name (or its lowerCamelCase form) may not be, since it
    /// names a module, an export or a file in this language (Rust's keywords).
    pub catalog_keywords: Vec<String>,
}

/// A package root a language's tools refuse, and why.
#[derive(Clone, Debug)]
pub struct ReservedPackage {
    pub name: String,
    /// Why, for the diagnostic: `kotlinc refuses it (...)`.
    pub why: String,
}

/// How a language writes a comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Comment {
    /// A line comment: `//`, `#`.
    Line(String),
    /// A block comment on one line: `<!--` and `-->`.
    Block { open: String, close: String },
}

/// The longest file name, in bytes, that common file systems allow (ext4, APFS,
/// NTFS in UTF-16 units, which ASCII names use one each of).
pub const MAX_FILE_NAME: usize = 255;

/// How a message parameter is written in a language: an argument of the entry's
/// formatter, whose body joins the message's text and each argument as text.
#[derive(Clone, Debug)]
pub struct ParamRules {
    /// The parameter's spelling (`device_id` → `deviceId`).
    pub case: Case,
    /// Words a parameter may not be, besides the row's `idents.keywords`: every
    /// call site names the argument, so a name that needs an escape is refused.
    pub keywords: Vec<String>,
    pub string: ParamTypeRule,
    pub int: ParamTypeRule,
    pub bool: ParamTypeRule,
    pub duration: ParamTypeRule,
    /// The most argument slots a formatter may take (the JVM's 255), if there is a limit.
    pub max_slots: Option<SlotLimit>,
}

/// A limit on a formatter's arguments, counted in slots ([`ParamTypeRule::slots`]).
#[derive(Clone, Debug)]
pub struct SlotLimit {
    pub max: usize,
    /// What sets it, for the diagnostic: `a JVM method`.
    pub holder: String,
}

/// One registry parameter type in a language.
#[derive(Clone, Debug)]
pub struct ParamTypeRule {
    /// The argument's type (`Long`, `kotlin.time.Duration`).
    pub ty: String,
    /// The expression that writes the value as the message's text, `{}` standing
    /// for the value; the same text in every language (see `errspec::ParamType`).
    /// A template defines the duration helper it names (`errspecDuration`, `_errspecDuration`,
    /// `errspecDuration_`: never the spelling of a parameter, which has no leading or trailing `_`).
    pub text: String,
    /// The argument slots a value takes, against [`ParamRules::max_slots`] (a JVM
    /// `long` takes two).
    pub slots: usize,
}

/// How a registry name is spelt in a language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// As the registry writes it (`INVALID_API_KEY`).
    Verbatim,
    /// `InvalidApiKey`.
    UpperCamel,
    /// `invalidApiKey`.
    LowerCamel,
}

impl Case {
    pub fn apply(self, name: &str) -> String {
        match self {
            Case::Verbatim => name.to_owned(),
            Case::UpperCamel => upper_camel(name),
            Case::LowerCamel => lower_camel(name),
        }
    }
}

/// A prefix and a suffix put around an identifier that would clash.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Wrap {
    pub before: String,
    pub after: String,
}

impl Wrap {
    fn around(&self, ident: &str) -> String {
        format!("{}{ident}{}", self.before, self.after)
    }
}

/// Identifier rules.
#[derive(Clone, Debug)]
pub struct Idents {
    /// Enum members (values, variants, cases).
    pub member: Case,
    /// Types.
    pub ty: Case,
    /// Words the language reserves, compared after the case is applied.
    pub keywords: Vec<String>,
    pub keyword_escape: Wrap,
    /// Members every generated type already has (its own fields and methods, the
    /// language's enum members): an entry named so would shadow them. Backticks do
    /// not help there, so these have their own escape.
    pub members: Vec<String>,
    pub member_escape: Wrap,
}

/// String-literal rules: each character is written by the first rule that applies.
#[derive(Clone, Debug)]
pub struct StringRules {
    /// Opens and closes the literal.
    pub quote: String,
    /// Characters with a fixed escape (the quote, the escape character, interpolation starts).
    pub escapes: Vec<(char, String)>,
    /// Which control characters are written as `unicode`.
    pub controls: Controls,
    /// Further characters written as `unicode` (U+2028/9 where old tools end a line at them).
    pub also: Vec<char>,
    pub unicode: Unicode,
}

/// The control characters a literal may not hold as themselves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Controls {
    /// U+0000..U+001F (JSON's rule).
    C0,
    /// Every `char::is_control` character: C0, DEL and C1.
    All,
    /// Every character but printable ASCII (C's literals, kept to ASCII bytes).
    NonAscii,
}

/// A code-point escape: `before`, the hex digits (lower case, at least `width`), `after`.
#[derive(Clone, Debug)]
pub struct Unicode {
    pub before: String,
    pub width: usize,
    pub after: String,
    /// Each UTF-8 byte of the character escaped on its own (C's `\x`), not its code point.
    pub utf8: bool,
}

/// Doc-comment rules: each line of the text becomes `indent + line + text`.
#[derive(Clone, Debug)]
pub struct DocRules {
    /// Before a non-empty line: `/// `, ` * `.
    pub line: String,
    /// An empty line: `///`, ` *`.
    pub empty: String,
    /// Replaced everywhere, in order (`*/` would end a block comment).
    pub replace: Vec<(String, String)>,
    /// Replaced once when a line starts with it after its spaces (`@` would start a JSDoc tag).
    pub leading: Vec<(String, String)>,
}

/// An identifier a catalog name becomes: the `form` of the name, then `suffix`.
#[derive(Clone, Debug)]
pub struct CatalogRule {
    /// What it names there, e.g. `enum`.
    pub what: String,
    pub form: CatalogForm,
    pub suffix: String,
}

/// The spellings of a catalog name the view model gives templates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CatalogForm {
    /// `type_name`: `HttpStatus`.
    Type,
    /// `lower_name`: `httpStatus`.
    Lower,
    /// As the registry writes it: `http_status` (file names).
    Name,
}

impl CatalogForm {
    pub fn apply(self, name: &str) -> String {
        match self {
            CatalogForm::Type => upper_camel(name),
            CatalogForm::Lower => lower_camel(name),
            CatalogForm::Name => name.to_owned(),
        }
    }
}

fn has(words: &[String], word: &str) -> bool {
    words.iter().any(|w| w == word)
}

impl Language {
    /// The enum member a registry name becomes.
    pub fn ident(&self, name: &str) -> String {
        escape(&self.idents, self.idents.member.apply(name))
    }

    /// The enum member a name becomes, as a string names it: without the
    /// keyword escape (Swift's `renamed: "default"` for the case `` `default` ``).
    pub fn bare_ident(&self, name: &str) -> String {
        let ident = self.idents.member.apply(name);
        if has(&self.idents.members, &ident) {
            return self.idents.member_escape.around(&ident);
        }
        ident
    }

    /// The type a name becomes.
    pub fn type_ident(&self, name: &str) -> String {
        escape(&self.idents, self.idents.ty.apply(name))
    }

    /// A dotted name (`com.example.errors`, a package or namespace) as written
    /// in source: each part as it is, but a keyword escaped (Kotlin:
    /// ``com.example.`in` ``).
    pub fn path(&self, dotted: &str) -> String {
        dotted
            .split('.')
            .map(|part| {
                if has(&self.idents.keywords, part) {
                    self.idents.keyword_escape.around(part)
                } else {
                    part.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join(".")
    }

    /// `s` as a string literal, or `None` when no template writes this language's literals.
    pub fn string(&self, s: &str) -> Option<String> {
        self.string.as_ref().map(|rules| rules.write(s))
    }

    /// `s` as doc-comment lines, or `None` as for [`Language::string`].
    pub fn doc(&self, s: &str, indent: &str) -> Option<String> {
        self.doc.as_ref().map(|rules| rules.write(s, indent))
    }

    /// The identifier a message parameter becomes (never escaped: the validator
    /// refuses names that are keywords, see [`Language::is_param_keyword`]);
    /// `None` for a row without parameter rules.
    pub fn param_ident(&self, name: &str) -> Option<String> {
        self.params.as_ref().map(|p| p.case.apply(name))
    }

    /// Whether a parameter spelt `ident` (in this language's case) is a reserved word here.
    pub fn is_param_keyword(&self, ident: &str) -> bool {
        has(&self.idents.keywords, ident)
            || self
                .params
                .as_ref()
                .is_some_and(|p| has(&p.keywords, ident))
    }

    /// This language's rule for one parameter type, if it has parameter rules.
    pub fn param_type(&self, ty: crate::model::ParamType) -> Option<&ParamTypeRule> {
        self.params.as_ref().map(|p| p.of(ty))
    }

    /// The expression writing `value` (an expression of type `ty`) as message text.
    pub fn param_text(&self, ty: crate::model::ParamType, value: &str) -> Option<String> {
        self.param_type(ty)
            .map(|rule| rule.text.replace("{}", value))
    }
}

impl ParamRules {
    /// The rule for one parameter type.
    pub fn of(&self, ty: crate::model::ParamType) -> &ParamTypeRule {
        use crate::model::ParamType as T;
        match ty {
            T::String => &self.string,
            T::Int => &self.int,
            T::Bool => &self.bool,
            T::Duration => &self.duration,
        }
    }
}

fn escape(idents: &Idents, ident: String) -> String {
    if has(&idents.members, &ident) {
        idents.member_escape.around(&ident)
    } else if has(&idents.keywords, &ident) {
        idents.keyword_escape.around(&ident)
    } else {
        ident
    }
}

impl StringRules {
    pub fn write(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len() + 2 * self.quote.len());
        self.write_into(s, &mut out);
        out
    }

    /// [`StringRules::write`] into `out`.
    pub fn write_into(&self, s: &str, out: &mut String) {
        out.push_str(&self.quote);
        // Which ASCII characters are written as themselves, so that runs of
        // them are copied whole (most text is such runs).
        let mut plain = [false; 128];
        for (b, p) in plain.iter_mut().enumerate().skip(usize::from(b' ')) {
            *p = b != 0x7f || self.controls == Controls::C0;
        }
        for c in self.escapes.iter().map(|(c, _)| c).chain(&self.also) {
            if let Some(p) = plain.get_mut(*c as usize) {
                *p = false;
            }
        }
        let mut run = 0;
        for (i, ch) in s.char_indices() {
            let escape = match plain.get(ch as usize) {
                Some(p) => !p,
                None => self.escapes.iter().any(|(c, _)| *c == ch) || self.written_as_code(ch),
            };
            if !escape {
                continue;
            }
            out.push_str(&s[run..i]);
            run = i + ch.len_utf8();
            if let Some((_, esc)) = self.escapes.iter().find(|(c, _)| *c == ch) {
                out.push_str(esc);
            } else if self.written_as_code(ch) {
                self.write_code(ch, out);
            } else {
                out.push(ch);
            }
        }
        out.push_str(&s[run..]);
        out.push_str(&self.quote);
    }

    /// `ch` as its code point escape, or as one escape per UTF-8 byte.
    fn write_code(&self, ch: char, out: &mut String) {
        use std::fmt::Write;
        let u = &self.unicode;
        let mut bytes = [0; 4];
        let units: Vec<u32> = if u.utf8 {
            ch.encode_utf8(&mut bytes).bytes().map(u32::from).collect()
        } else {
            vec![ch as u32]
        };
        for unit in units {
            // Writing to a String cannot fail.
            let _ = write!(
                out,
                "{}{:0width$x}{}",
                u.before,
                unit,
                u.after,
                width = u.width
            );
        }
    }

    /// Whether `ch` (no fixed escape) is written as a code point escape.
    fn written_as_code(&self, ch: char) -> bool {
        self.also.contains(&ch)
            || match self.controls {
                Controls::C0 => ch < ' ',
                Controls::All => ch.is_control(),
                Controls::NonAscii => !(' '..='~').contains(&ch),
            }
    }
}

impl DocRules {
    pub fn write(&self, s: &str, indent: &str) -> String {
        let mut out = String::with_capacity(s.len() + 2 * (indent.len() + self.line.len()));
        self.write_into(s, indent, &mut out);
        out
    }

    /// [`DocRules::write`] into `out`; a line is copied only when a rule changes it.
    pub fn write_into(&self, s: &str, indent: &str, out: &mut String) {
        // A comment line ends at `\n`, `\r\n` and a lone `\r`.
        let lines = s.split("\r\n").flat_map(|l| l.split(['\n', '\r']));
        for (i, line) in lines.enumerate() {
            if i > 0 {
                out.push('\n');
            }
            let mut l = Cow::Borrowed(line);
            for (from, to) in &self.replace {
                if l.contains(from.as_str()) {
                    l = Cow::Owned(l.replace(from.as_str(), to));
                }
            }
            let spaces = l.len() - l.trim_start().len();
            if let Some((from, to)) = self
                .leading
                .iter()
                .find(|(f, _)| l[spaces..].starts_with(f.as_str()))
            {
                l.to_mut().replace_range(spaces..spaces + from.len(), to);
            }
            out.push_str(indent);
            if l.is_empty() {
                out.push_str(&self.empty);
            } else {
                out.push_str(&self.line);
                out.push_str(&l);
            }
        }
    }
}

/// The languages whose rules a registry must meet: codegen gives the rows of
/// the targets it renders, `catalog!` Rust's alone; [`Languages::default`] has
/// none (the rules of the format alone). Rows are shared, not copied.
#[derive(Clone, Debug, Default)]
pub struct Languages {
    rows: Vec<Arc<Language>>,
}

impl Languages {
    /// No language: the rules of the format alone.
    pub fn none() -> Self {
        Languages::default()
    }

    /// This set and `language`; a row whose id is in the set already is not added twice.
    pub fn with(mut self, language: Arc<Language>) -> Self {
        if !self.contains(&language.id) {
            self.rows.push(language);
        }
        self
    }

    /// Whether the set has the row with this id.
    pub fn contains(&self, id: &str) -> bool {
        self.find(id).is_some()
    }

    /// The row with this id.
    pub fn find(&self, id: &str) -> Option<&Arc<Language>> {
        self.rows.iter().find(|l| l.id == id)
    }

    /// The rows in the set, in the order they were added (the order diagnostics name them).
    pub fn iter(&self) -> impl Iterator<Item = &Language> + Clone {
        self.rows.iter().map(|l| &**l)
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

impl FromIterator<Arc<Language>> for Languages {
    fn from_iter<I: IntoIterator<Item = Arc<Language>>>(iter: I) -> Self {
        iter.into_iter().fold(Self::none(), Self::with)
    }
}

/// One identifier a catalog name becomes in one language, for the cross-file rule.
#[derive(Clone, Copy, Debug)]
pub struct CatalogIdent<'a> {
    /// The language, as diagnostics name it: `Rust`, `TypeScript`, `Dart`.
    pub language: &'a str,
    /// What the identifier names there, e.g. `enum`.
    pub what: &'a str,
    rule: &'a CatalogRule,
}

impl CatalogIdent<'_> {
    pub fn ident(&self, name: &str) -> String {
        self.rule.form.apply(name) + &self.rule.suffix
    }
}

/// Every identifier a catalog name becomes in these languages, in their order.
pub fn catalog_idents(languages: &Languages) -> impl Iterator<Item = CatalogIdent<'_>> {
    languages.iter().flat_map(|l| {
        l.catalog.iter().map(|rule| CatalogIdent {
            language: &l.name,
            what: &rule.what,
            rule,
        })
    })
}

/// The names of `languages` joined for a message: `Rust, TypeScript or Dart`.
pub fn names_joined<'a>(languages: impl IntoIterator<Item = &'a Language>, or: &str) -> String {
    let names: Vec<&str> = languages.into_iter().map(|l| l.name.as_str()).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} {or} {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str) -> Language {
        Language {
            id: id.to_owned(),
            name: id.to_uppercase(),
            comment: Comment::Line("//".to_owned()),
            idents: Idents {
                member: Case::LowerCamel,
                ty: Case::UpperCamel,
                keywords: vec!["default".to_owned()],
                keyword_escape: Wrap {
                    before: "`".to_owned(),
                    after: "`".to_owned(),
                },
                members: vec!["name".to_owned()],
                member_escape: Wrap {
                    before: String::new(),
                    after: "_".to_owned(),
                },
            },
            string: Some(StringRules {
                quote: "'".to_owned(),
                escapes: vec![('\'', "\\'".to_owned()), ('\n', "\\n".to_owned())],
                controls: Controls::All,
                also: vec!['\u{2028}'],
                unicode: Unicode {
                    before: "\\u{".to_owned(),
                    width: 0,
                    after: "}".to_owned(),
                    utf8: false,
                },
            }),
            doc: Some(DocRules {
                line: " * ".to_owned(),
                empty: " *".to_owned(),
                replace: vec![("*/".to_owned(), "*\\/".to_owned())],
                leading: vec![("@".to_owned(), "\\@".to_owned())],
            }),
            catalog: Vec::new(),
            params: None,
            files: Vec::new(),
            reserved_files: Vec::new(),
            reserved_packages: Vec::new(),
            dotted_packages: true,
            prefix_packages: false,
            type_names: Vec::new(),
            catalog_keywords: Vec::new(),
        }
    }

    #[test]
    fn rows_escape_keywords_and_members() {
        let l = row("x");
        assert_eq!(l.ident("DEFAULT"), "`default`");
        assert_eq!(l.bare_ident("DEFAULT"), "default");
        assert_eq!(l.ident("NAME"), "name_");
        assert_eq!(l.type_ident("http_status"), "HttpStatus");
        assert_eq!(l.path("com.default.x"), "com.`default`.x");
    }

    #[test]
    fn strings_and_docs_follow_their_rules() {
        let l = row("x");
        assert_eq!(
            l.string("a'b\n\u{7}\u{2028}").as_deref(),
            Some("'a\\'b\\n\\u{7}\\u{2028}'")
        );
        assert_eq!(
            l.doc("  @see */\n\nb", "  ").as_deref(),
            Some("   *   \\@see *\\/\n   *\n   * b")
        );
        // Every line break ends a line; a line no rule changes is copied as it is.
        assert_eq!(
            l.doc("a\r\nb\rc*/", "").as_deref(),
            Some(" * a\n * b\n * c*\\/")
        );
    }

    #[test]
    fn a_set_holds_each_id_once_in_order() {
        let set: Languages = [row("a"), row("b"), row("a")]
            .into_iter()
            .map(Arc::new)
            .collect();
        assert_eq!(
            set.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(names_joined(set.iter(), "or"), "A or B");
        assert!(set.contains("b") && !set.contains("c"));
    }
}
