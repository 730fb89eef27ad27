//! The rules of every target language, as data: how a registry name becomes an
//! identifier, which words it may not be, and how text is written inside a string
//! literal or a doc comment.
//!
//! One table serves the validator (identifier collisions, `check.rs` and `load.rs`)
//! and codegen's generic template helpers (`ident`, `str`, `doc`). A row holds data
//! only, no code: a new language is one template plus one row of [`LANGUAGES`].

use crate::ident::{lower_camel, upper_camel};

/// One target language.
#[derive(Debug)]
pub struct Language {
    /// The id templates pass to the helpers: `{{str message "dart"}}`.
    pub id: &'static str,
    /// The name diagnostics use: `Dart`.
    pub name: &'static str,
    pub idents: Idents,
    /// String literals; `None` where no template writes them (Rust: `errspec-rust` writes its own).
    pub string: Option<StringRules>,
    /// Doc comments; `None` as for `string`.
    pub doc: Option<DocRules>,
    /// The identifiers a catalog name becomes in this language's generated code;
    /// two catalogs of a registry may share none. Empty until a template derives some.
    pub catalog: &'static [CatalogRule],
    /// Message parameters: their names, types, and how a value becomes text.
    pub params: ParamRules,
    /// The files this target writes for a catalog, and the longest ones its compiler
    /// derives from them (`.d.ts.map`, a nested class's `.class`): each must fit a
    /// file system's name limit, [`MAX_FILE_NAME`]. Empty for a template-only row,
    /// whose template names its files.
    pub files: &'static [CatalogRule],
    /// Names a catalog may not have because its file would be one this target
    /// writes for itself beside the catalogs' (`lib` in `src/lib.rs`, `index` in
    /// `index.ts`) or one its tools read as something else (`main` in `src/main.rs`).
    pub reserved_files: &'static [&'static str],
    /// The first parts of a dotted name (an option's package) that this language's
    /// tools refuse for a user's code: kotlinc refuses a package under `kotlin`, and
    /// the JVM will not load a class under `java`.
    pub reserved_packages: &'static [&'static str],
    /// Types the output names unqualified that a catalog's enum (its UpperCamelCase
    /// name) would shadow, beyond `ident::RESERVED_TYPE_NAMES` (which every
    /// registry meets): Kotlin's `@JvmStatic` is no annotation once a catalog
    /// `jvm_static` declares `enum class JvmStatic` in the package.
    pub type_names: &'static [&'static str],
}

/// The longest file name, in bytes, that common file systems allow (ext4, APFS,
/// NTFS in UTF-16 units, which ASCII names use one each of).
pub const MAX_FILE_NAME: usize = 255;

/// How a message parameter is written in a language: an argument of the entry's
/// formatter, whose body joins the message's text and each argument as text.
#[derive(Debug)]
pub struct ParamRules {
    /// The parameter's spelling (`device_id` → `deviceId`).
    pub case: Case,
    /// Words a parameter may not be, besides the row's `idents.keywords`: every
    /// call site names the argument, so a name that needs an escape is refused.
    pub keywords: &'static [&'static str],
    pub string: ParamTypeRule,
    pub int: ParamTypeRule,
    pub bool: ParamTypeRule,
    pub duration: ParamTypeRule,
}

/// One registry parameter type in a language.
#[derive(Clone, Copy, Debug)]
pub struct ParamTypeRule {
    /// The argument's type (`Long`, `kotlin.time.Duration`).
    pub ty: &'static str,
    /// The expression that writes the value as the message's text, `{}` standing
    /// for the value; the same text in every language (see `errspec::ParamType`).
    /// A template defines the duration helper it names (`errspecDuration`, `_errspecDuration`,
    /// `errspecDuration_`: never the spelling of a parameter, which has no leading or trailing `_`).
    pub text: &'static str,
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
#[derive(Clone, Copy, Debug)]
pub struct Wrap {
    pub before: &'static str,
    pub after: &'static str,
}

/// A trailing `_`.
pub const UNDERSCORE: Wrap = Wrap {
    before: "",
    after: "_",
};
/// Backticks, which Kotlin and Swift accept around any keyword.
pub const BACKTICKS: Wrap = Wrap {
    before: "`",
    after: "`",
};

/// Identifier rules.
#[derive(Debug)]
pub struct Idents {
    /// Enum members (values, variants, cases).
    pub member: Case,
    /// Types.
    pub ty: Case,
    /// Words the language reserves, compared after the case is applied.
    pub keywords: &'static [&'static str],
    pub keyword_escape: Wrap,
    /// Members every generated type already has (its own fields and methods, the
    /// language's enum members): an entry named so would shadow them. Backticks do
    /// not help there, so these have their own escape.
    pub members: &'static [&'static str],
    pub member_escape: Wrap,
}

/// String-literal rules: each character is written by the first rule that applies.
#[derive(Debug)]
pub struct StringRules {
    /// Opens and closes the literal.
    pub quote: &'static str,
    /// Characters with a fixed escape (the quote, the escape character, interpolation starts).
    pub escapes: &'static [(char, &'static str)],
    /// Which control characters are written as `unicode`.
    pub controls: Controls,
    /// Further characters written as `unicode` (U+2028/9 where old tools end a line at them).
    pub also: &'static [char],
    pub unicode: Unicode,
}

/// The control characters a literal may not hold as themselves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Controls {
    /// U+0000..U+001F (JSON's rule).
    C0,
    /// Every `char::is_control` character: C0, DEL and C1.
    All,
}

/// A code-point escape: `before`, the hex digits (lower case, at least `width`), `after`.
#[derive(Clone, Copy, Debug)]
pub struct Unicode {
    pub before: &'static str,
    pub width: usize,
    pub after: &'static str,
}

/// Doc-comment rules: each line of the text becomes `indent + line + text`.
#[derive(Debug)]
pub struct DocRules {
    /// Before a non-empty line: `/// `, ` * `.
    pub line: &'static str,
    /// An empty line: `///`, ` *`.
    pub empty: &'static str,
    /// Replaced everywhere, in order (`*/` would end a block comment).
    pub replace: &'static [(&'static str, &'static str)],
    /// Replaced once when a line starts with it after its spaces (`@` would start a JSDoc tag).
    pub leading: &'static [(&'static str, &'static str)],
}

/// An identifier a catalog name becomes: the `form` of the name, then `suffix`.
#[derive(Clone, Copy, Debug)]
pub struct CatalogRule {
    /// What it names there, e.g. `enum`.
    pub what: &'static str,
    pub form: CatalogForm,
    pub suffix: &'static str,
}

/// The two spellings of a catalog name the view model gives templates.
#[derive(Clone, Copy, Debug)]
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
            CatalogForm::Type => crate::ident::rust_variant(name),
            CatalogForm::Lower => lower_camel(name),
            CatalogForm::Name => name.to_owned(),
        }
    }
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
        if self.idents.members.contains(&ident.as_str()) {
            let wrap = self.idents.member_escape;
            return format!("{}{ident}{}", wrap.before, wrap.after);
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
                if self.idents.keywords.contains(&part) {
                    let wrap = self.idents.keyword_escape;
                    format!("{}{part}{}", wrap.before, wrap.after)
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
    /// refuses names that are keywords, see [`Language::is_param_keyword`]).
    pub fn param_ident(&self, name: &str) -> String {
        self.params.case.apply(name)
    }

    /// Whether a parameter spelt `ident` (in this language's case) is a reserved word here.
    pub fn is_param_keyword(&self, ident: &str) -> bool {
        self.idents.keywords.contains(&ident) || self.params.keywords.contains(&ident)
    }

    /// This language's rule for one parameter type.
    pub fn param_type(&self, ty: crate::model::ParamType) -> ParamTypeRule {
        use crate::model::ParamType as T;
        match ty {
            T::String => self.params.string,
            T::Int => self.params.int,
            T::Bool => self.params.bool,
            T::Duration => self.params.duration,
        }
    }

    /// The expression writing `value` (an expression of type `ty`) as message text.
    pub fn param_text(&self, ty: crate::model::ParamType, value: &str) -> String {
        self.param_type(ty).text.replace("{}", value)
    }
}

fn escape(idents: &Idents, ident: String) -> String {
    let wrap = if idents.members.contains(&ident.as_str()) {
        idents.member_escape
    } else if idents.keywords.contains(&ident.as_str()) {
        idents.keyword_escape
    } else {
        return ident;
    };
    format!("{}{ident}{}", wrap.before, wrap.after)
}

impl StringRules {
    pub fn write(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len() + 2 * self.quote.len());
        out.push_str(self.quote);
        for ch in s.chars() {
            if let Some((_, esc)) = self.escapes.iter().find(|(c, _)| *c == ch) {
                out.push_str(esc);
            } else if self.also.contains(&ch)
                || match self.controls {
                    Controls::C0 => ch < ' ',
                    Controls::All => ch.is_control(),
                }
            {
                let u = self.unicode;
                out.push_str(&format!(
                    "{}{:0width$x}{}",
                    u.before,
                    ch as u32,
                    u.after,
                    width = u.width
                ));
            } else {
                out.push(ch);
            }
        }
        out.push_str(self.quote);
        out
    }
}

impl DocRules {
    pub fn write(&self, s: &str, indent: &str) -> String {
        // A comment line ends at `\n`, `\r\n` and a lone `\r`.
        let lines = s.split("\r\n").flat_map(|l| l.split(['\n', '\r']));
        lines
            .map(|l| {
                let mut l = l.to_owned();
                for (from, to) in self.replace {
                    l = l.replace(from, to);
                }
                let spaces = l.len() - l.trim_start().len();
                if let Some((from, to)) = self
                    .leading
                    .iter()
                    .find(|(f, _)| l[spaces..].starts_with(f))
                {
                    l.replace_range(spaces..spaces + from.len(), to);
                }
                if l.is_empty() {
                    format!("{indent}{}", self.empty)
                } else {
                    format!("{indent}{}{l}", self.line)
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A set of rows of [`LANGUAGES`]: the languages whose rules a registry must
/// meet. codegen gives the languages of the targets it renders, `catalog!` Rust's
/// alone; [`Languages::default`] is the built-in targets' (every row but the
/// template-only [`PYTHON`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Languages {
    /// Bit `i`: `LANGUAGES[i]`.
    mask: u64,
}

impl Languages {
    /// No language: the rules of the format alone.
    pub const fn none() -> Self {
        Languages { mask: 0 }
    }

    /// Every row of [`LANGUAGES`].
    pub fn all() -> Self {
        LANGUAGES.iter().fold(Self::none(), Self::with)
    }

    /// This set and `language` (a row of [`LANGUAGES`], found by its id).
    pub fn with(self, language: &Language) -> Self {
        match LANGUAGES.iter().position(|l| l.id == language.id) {
            Some(i) => Languages {
                mask: self.mask | 1 << i,
            },
            None => self,
        }
    }

    /// This set and the row with this id, if there is one.
    pub fn with_id(self, id: &str) -> Self {
        match find(id) {
            Some(l) => self.with(l),
            None => self,
        }
    }

    pub fn contains(self, language: &Language) -> bool {
        LANGUAGES
            .iter()
            .position(|l| l.id == language.id)
            .is_some_and(|i| self.mask & 1 << i != 0)
    }

    /// The rows in the set, in table order.
    pub fn iter(self) -> impl Iterator<Item = &'static Language> + Clone {
        LANGUAGES
            .iter()
            .enumerate()
            .filter(move |(i, _)| self.mask & 1 << i != 0)
            .map(|(_, l)| l)
    }
}

impl Default for Languages {
    /// The languages of the built-in targets.
    fn default() -> Self {
        [&RUST, &TYPESCRIPT, &DART, &KOTLIN, &SWIFT]
            .into_iter()
            .fold(Self::none(), Self::with)
    }
}

impl<'a> FromIterator<&'a Language> for Languages {
    fn from_iter<I: IntoIterator<Item = &'a Language>>(iter: I) -> Self {
        iter.into_iter().fold(Self::none(), Self::with)
    }
}

/// The language with this id.
pub fn find(id: &str) -> Option<&'static Language> {
    LANGUAGES.iter().find(|l| l.id == id)
}

/// One identifier a catalog name becomes in one language, for the cross-file rule.
#[derive(Clone, Copy, Debug)]
pub struct CatalogIdent {
    /// The language, as diagnostics name it: `Rust`, `TypeScript`, `Dart`.
    pub language: &'static str,
    /// What the identifier names there, e.g. `enum`.
    pub what: &'static str,
    rule: CatalogRule,
}

impl CatalogIdent {
    pub fn ident(&self, name: &str) -> String {
        self.rule.form.apply(name) + self.rule.suffix
    }
}

/// Every identifier a catalog name becomes, in every language, in table order.
pub fn catalog_idents() -> impl Iterator<Item = CatalogIdent> {
    catalog_idents_in(Languages::all())
}

/// Every identifier a catalog name becomes in these languages, in table order.
pub fn catalog_idents_in(languages: Languages) -> impl Iterator<Item = CatalogIdent> {
    languages.iter().flat_map(|l| {
        l.catalog.iter().map(|&rule| CatalogIdent {
            language: l.name,
            what: rule.what,
            rule,
        })
    })
}

/// Rust keywords in UpperCamelCase: `Self` is the only one.
pub const RUST: Language = Language {
    id: "rust",
    name: "Rust",
    idents: Idents {
        member: Case::UpperCamel,
        ty: Case::UpperCamel,
        keywords: &["Self"],
        keyword_escape: UNDERSCORE,
        members: &[],
        member_escape: UNDERSCORE,
    },
    string: None,
    doc: None,
    catalog: &[
        CatalogRule {
            what: "enum",
            form: CatalogForm::Type,
            suffix: "",
        },
        CatalogRule {
            what: "message arguments enum",
            form: CatalogForm::Type,
            suffix: "Args",
        },
        CatalogRule {
            what: "retry enum",
            form: CatalogForm::Type,
            suffix: "Retry",
        },
        CatalogRule {
            what: "unknown-name error",
            form: CatalogForm::Type,
            suffix: "UnknownName",
        },
    ],
    params: ParamRules {
        case: Case::Verbatim,
        // Strict and reserved keywords (2024 edition); `self`, `super`, `crate` cannot
        // even be raw identifiers.
        #[rustfmt::skip]
        keywords: &[
            "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else",
            "enum", "extern", "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop",
            "match", "mod", "move", "mut", "pub", "ref", "return", "self", "static", "struct",
            "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract",
            "become", "box", "do", "final", "macro", "override", "priv", "try", "typeof",
            "unsized", "virtual", "yield",
        ],
        // The Rust target is `errspec-rust`'s: it writes each value with `Display`.
        string: ParamTypeRule {
            ty: "&'a str",
            text: "{}",
        },
        int: ParamTypeRule {
            ty: "i64",
            text: "{}",
        },
        bool: ParamTypeRule {
            ty: "bool",
            text: "{}",
        },
        duration: ParamTypeRule {
            ty: "::core::time::Duration",
            text: "{}",
        },
    },
    // codegen's crate: `src/<catalog>.rs` beside `src/lib.rs`; a `src/main.rs` would
    // make Cargo build a binary without `fn main`.
    files: &[CatalogRule {
        what: "module file",
        form: CatalogForm::Name,
        suffix: ".rs",
    }],
    reserved_files: &["lib", "main"],
    reserved_packages: &[],
    type_names: &[],
};

/// TypeScript writes registry names verbatim as property keys (a keyword is a
/// legal key), so only identical names collide there.
pub const TYPESCRIPT: Language = Language {
    id: "typescript",
    name: "TypeScript",
    idents: Idents {
        member: Case::Verbatim,
        ty: Case::UpperCamel,
        keywords: &[],
        keyword_escape: UNDERSCORE,
        members: &[],
        member_escape: UNDERSCORE,
    },
    // JSON's escapes (JSON is a subset of JS); U+2028/9 are legal in literals since
    // ES2019 but are escaped for older tools. In double quotes `${` never interpolates.
    string: Some(StringRules {
        quote: "\"",
        escapes: &[
            ('"', "\\\""),
            ('\\', "\\\\"),
            ('\u{8}', "\\b"),
            ('\u{c}', "\\f"),
            ('\n', "\\n"),
            ('\r', "\\r"),
            ('\t', "\\t"),
        ],
        controls: Controls::C0,
        also: &['\u{2028}', '\u{2029}'],
        unicode: Unicode {
            before: "\\u",
            width: 4,
            after: "",
        },
    }),
    doc: Some(DocRules {
        line: " * ",
        empty: " *",
        replace: &[("*/", "*\\/")],
        leading: &[("@", "\\@")],
    }),
    catalog: &[
        CatalogRule {
            what: "`index.ts` export",
            form: CatalogForm::Lower,
            suffix: "",
        },
        CatalogRule {
            what: "code object",
            form: CatalogForm::Type,
            suffix: "Code",
        },
        CatalogRule {
            what: "formatter object",
            form: CatalogForm::Type,
            suffix: "Format",
        },
        CatalogRule {
            what: "name type",
            form: CatalogForm::Type,
            suffix: "Name",
        },
        CatalogRule {
            what: "retry type",
            form: CatalogForm::Type,
            suffix: "Retry",
        },
        CatalogRule {
            what: "error interface",
            form: CatalogForm::Type,
            suffix: "Error",
        },
    ],
    // Arguments are properties of one object (`args.deviceId`): a keyword is a legal key.
    params: ParamRules {
        case: Case::LowerCamel,
        keywords: &[],
        string: ParamTypeRule {
            ty: "string",
            text: "{}",
        },
        int: ParamTypeRule {
            ty: "number",
            text: "String({})",
        },
        bool: ParamTypeRule {
            ty: "boolean",
            text: "String({})",
        },
        // Milliseconds, as the retry hints' numbers.
        duration: ParamTypeRule {
            ty: "number",
            text: "errspecDuration({})",
        },
    },
    // `<catalog>.ts` beside the `index.ts` of `typescript-index.hbs`.
    files: &[
        CatalogRule {
            what: "module file",
            form: CatalogForm::Name,
            suffix: ".ts",
        },
        CatalogRule {
            what: "source map of tsc's declaration file",
            form: CatalogForm::Name,
            suffix: ".d.ts.map",
        },
    ],
    reserved_files: &["index"],
    reserved_packages: &[],
    type_names: &[],
};

pub const DART: Language = Language {
    id: "dart",
    name: "Dart",
    idents: Idents {
        member: Case::LowerCamel,
        ty: Case::UpperCamel,
        #[rustfmt::skip]
        keywords: &[
            "abstract", "as", "assert", "async", "await", "base", "break", "case", "catch",
            "class", "const", "continue", "covariant", "default", "deferred", "do", "dynamic",
            "else", "enum", "export", "extends", "extension", "external", "factory", "false",
            "final", "finally", "for", "function", "get", "hide", "if", "implements", "import",
            "in", "interface", "is", "late", "library", "mixin", "new", "null", "of", "on",
            "operator", "part", "required", "rethrow", "return", "sealed", "set", "show",
            "static", "super", "switch", "sync", "this", "throw", "true", "try", "type",
            "typedef", "var", "void", "when", "while", "with", "yield",
            // Core types the generated enum's own fields and methods name.
            "int", "num", "double", "bool",
        ],
        keyword_escape: UNDERSCORE,
        #[rustfmt::skip]
        members: &[
            // Members of every Dart enum.
            "index", "name", "values", "hashCode", "runtimeType", "toString", "noSuchMethod",
            // Members of the generated enums (dart.hbs declares no other).
            "code", "message", "trigger", "retry", "aliases", "canonicalName", "acceptedNames",
            "deprecated", "docs", "category", "fromCode", "fromName",
        ],
        member_escape: UNDERSCORE,
    },
    // Single quotes; `$` is escaped so nothing interpolates.
    string: Some(StringRules {
        quote: "'",
        escapes: &[
            ('\\', "\\\\"),
            ('\'', "\\'"),
            ('$', "\\$"),
            ('\n', "\\n"),
            ('\r', "\\r"),
            ('\t', "\\t"),
        ],
        controls: Controls::All,
        also: &[],
        unicode: Unicode {
            before: "\\u{",
            width: 0,
            after: "}",
        },
    }),
    // tree-sitter-dart reads `/*` in a `///` line as a block comment that swallows
    // the lines after it; `\*` renders as `*` in dartdoc.
    doc: Some(DocRules {
        line: "/// ",
        empty: "///",
        replace: &[("/*", "/\\*")],
        leading: &[],
    }),
    catalog: &[
        CatalogRule {
            what: "enum",
            form: CatalogForm::Type,
            suffix: "",
        },
        CatalogRule {
            what: "code map",
            form: CatalogForm::Lower,
            suffix: "Errors",
        },
        CatalogRule {
            what: "formatter class",
            form: CatalogForm::Type,
            suffix: "Format",
        },
        CatalogRule {
            what: "retry class",
            form: CatalogForm::Type,
            suffix: "Retry",
        },
        CatalogRule {
            what: "retry class",
            form: CatalogForm::Type,
            suffix: "RetryNever",
        },
        CatalogRule {
            what: "retry class",
            form: CatalogForm::Type,
            suffix: "RetryAfter",
        },
        CatalogRule {
            what: "retry class",
            form: CatalogForm::Type,
            suffix: "RetryBackoff",
        },
        CatalogRule {
            what: "retry class",
            form: CatalogForm::Type,
            suffix: "RetryAfterFix",
        },
    ],
    params: ParamRules {
        case: Case::LowerCamel,
        keywords: &[],
        string: ParamTypeRule {
            ty: "String",
            text: "{}",
        },
        int: ParamTypeRule {
            ty: "int",
            text: "{}.toString()",
        },
        bool: ParamTypeRule {
            ty: "bool",
            text: "{}.toString()",
        },
        duration: ParamTypeRule {
            ty: "Duration",
            text: "_errspecDuration({})",
        },
    },
    files: &[CatalogRule {
        what: "library file",
        form: CatalogForm::Name,
        suffix: ".dart",
    }],
    reserved_files: &[],
    reserved_packages: &[],
    type_names: &[],
};

/// `kotlin.hbs`: entries keep their registry names, as Android constants do. Names
/// start upper-case, so only the companion object's `Companion` can clash.
pub const KOTLIN: Language = Language {
    id: "kotlin",
    name: "Kotlin",
    idents: Idents {
        member: Case::Verbatim,
        ty: Case::UpperCamel,
        // Hard keywords: never an identifier without backticks.
        #[rustfmt::skip]
        keywords: &[
            "as", "break", "class", "continue", "do", "else", "false", "for", "fun", "if", "in",
            "interface", "is", "null", "object", "package", "return", "super", "this", "throw",
            "true", "try", "typealias", "typeof", "val", "var", "when", "while",
        ],
        keyword_escape: BACKTICKS,
        // The companion object holding `fromCode` and `fromName`.
        members: &["Companion"],
        member_escape: UNDERSCORE,
    },
    // `$` is escaped so neither `$x` nor `${` interpolates; `\u` takes exactly four digits.
    string: Some(StringRules {
        quote: "\"",
        escapes: &[
            ('\\', "\\\\"),
            ('"', "\\\""),
            ('$', "\\$"),
            ('\n', "\\n"),
            ('\r', "\\r"),
            ('\t', "\\t"),
            ('\u{8}', "\\b"),
        ],
        controls: Controls::All,
        also: &['\u{2028}', '\u{2029}'],
        unicode: Unicode {
            before: "\\u",
            width: 4,
            after: "",
        },
    }),
    // KDoc blocks: Kotlin block comments nest, so `/*` opens one as `*/` closes one.
    doc: Some(DocRules {
        line: " * ",
        empty: " *",
        replace: &[("*/", "*\\/"), ("/*", "/\\*")],
        leading: &[("@", "\\@")],
    }),
    catalog: &[
        CatalogRule {
            what: "class",
            form: CatalogForm::Type,
            suffix: "",
        },
        CatalogRule {
            what: "retry type",
            form: CatalogForm::Type,
            suffix: "Retry",
        },
        CatalogRule {
            what: "formatter object",
            form: CatalogForm::Type,
            suffix: "Format",
        },
    ],
    params: ParamRules {
        case: Case::LowerCamel,
        keywords: &[],
        string: ParamTypeRule {
            ty: "String",
            text: "{}",
        },
        int: ParamTypeRule {
            ty: "Long",
            text: "{}.toString()",
        },
        bool: ParamTypeRule {
            ty: "Boolean",
            text: "{}.toString()",
        },
        duration: ParamTypeRule {
            ty: "kotlin.time.Duration",
            text: "errspecDuration_({})",
        },
    },
    // The JVM names a nested class's file `Outer$Inner.class`.
    files: &[
        CatalogRule {
            what: "source file",
            form: CatalogForm::Name,
            suffix: ".kt",
        },
        CatalogRule {
            what: "class file of the retry type's `AfterFix`",
            form: CatalogForm::Type,
            suffix: "Retry$AfterFix.class",
        },
    ],
    reserved_files: &[],
    reserved_packages: &["kotlin", "java"],
    // `Long`: an int parameter's type; a catalog `long` made it the enum, and callers'
    // `5L` a type mismatch.
    type_names: &["JvmStatic", "JvmField", "Long"],
};

/// `swift.hbs`: enum cases in lowerCamelCase.
pub const SWIFT: Language = Language {
    id: "swift",
    name: "Swift",
    idents: Idents {
        member: Case::LowerCamel,
        ty: Case::UpperCamel,
        // Keywords used in declarations, statements and expressions.
        #[rustfmt::skip]
        keywords: &[
            "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func",
            "import", "init", "inout", "internal", "let", "open", "operator", "private",
            "precedencegroup", "protocol", "public", "rethrows", "static", "struct", "subscript",
            "typealias", "var", "break", "case", "catch", "continue", "default", "defer", "do",
            "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw",
            "switch", "where", "while", "as", "false", "is", "nil", "self", "super", "throws",
            "true", "try", "any", "some",
            // Swift 5.5+ and 5.9+: `case await` does not parse; backticks do.
            "await", "borrowing", "consuming", "nonisolated",
        ],
        keyword_escape: BACKTICKS,
        // What the raw value, `Error`, `CustomStringConvertible`, `CaseIterable` and
        // `swift.hbs` declare: a case of that name would clash. `self` and `init`
        // even in backticks read as the metatype and the initializer.
        #[rustfmt::skip]
        members: &[
            "rawValue", "description", "hashValue", "hash", "allCases", "localizedDescription",
            "self", "init", "code", "name", "message", "trigger", "retry", "docs", "deprecated",
            "canonicalName", "aliases", "acceptedNames",
        ],
        member_escape: UNDERSCORE,
    },
    // `\(` interpolates: escaping every `\` is enough. `\u{..}` takes 1 to 8 digits.
    // `*` is `\u{2a}`, so no literal holds `/*` or `*/`: tree-sitter-swift (the check
    // in tests/tests/swift.rs) opens a comment at `/*` in a literal inside `(` or `[`.
    string: Some(StringRules {
        quote: "\"",
        escapes: &[
            ('\\', "\\\\"),
            ('"', "\\\""),
            ('\n', "\\n"),
            ('\r', "\\r"),
            ('\t', "\\t"),
            ('\0', "\\0"),
            ('*', "\\u{2a}"),
        ],
        controls: Controls::All,
        also: &['\u{2028}', '\u{2029}'],
        unicode: Unicode {
            before: "\\u{",
            width: 0,
            after: "}",
        },
    }),
    // Swift markup is Markdown, where `\*` shows as `*`; `/*` is broken as for Dart,
    // for parsers that read it inside `///`.
    doc: Some(DocRules {
        line: "/// ",
        empty: "///",
        replace: &[("/*", "/\\*")],
        leading: &[],
    }),
    // Every file of `generated/swift/` goes into one module.
    catalog: &[
        CatalogRule {
            what: "enum",
            form: CatalogForm::Type,
            suffix: "",
        },
        CatalogRule {
            what: "retry enum",
            form: CatalogForm::Type,
            suffix: "Retry",
        },
        CatalogRule {
            what: "formatter enum",
            form: CatalogForm::Type,
            suffix: "Format",
        },
    ],
    params: ParamRules {
        case: Case::LowerCamel,
        keywords: &[],
        string: ParamTypeRule {
            ty: "String",
            text: "{}",
        },
        int: ParamTypeRule {
            ty: "Int",
            text: "String({})",
        },
        bool: ParamTypeRule {
            ty: "Bool",
            text: "String({})",
        },
        duration: ParamTypeRule {
            ty: "Duration",
            text: "errspecDuration_({})",
        },
    },
    files: &[CatalogRule {
        what: "source file",
        form: CatalogForm::Name,
        suffix: ".swift",
    }],
    reserved_files: &[],
    reserved_packages: &[],
    // The raw type of an enum with a code above 2^31 - 1.
    type_names: &["Int64"],
};

/// A row no built-in template uses: the fifth language of the README's "Adding a
/// target" (`codegen/tests/cli.rs` renders a `python.hbs` with it).
pub const PYTHON: Language = Language {
    id: "python",
    name: "Python",
    idents: Idents {
        member: Case::Verbatim,
        ty: Case::UpperCamel,
        #[rustfmt::skip]
        keywords: &[
            "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
            "continue", "def", "del", "elif", "else", "except", "finally", "for", "from",
            "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass",
            "raise", "return", "try", "while", "with", "yield",
        ],
        keyword_escape: UNDERSCORE,
        members: &[],
        member_escape: UNDERSCORE,
    },
    // Plain (not f-) strings: `{` is text.
    string: Some(StringRules {
        quote: "\"",
        escapes: &[
            ('\\', "\\\\"),
            ('"', "\\\""),
            ('\n', "\\n"),
            ('\r', "\\r"),
            ('\t', "\\t"),
        ],
        controls: Controls::All,
        also: &['\u{2028}', '\u{2029}'],
        unicode: Unicode {
            before: "\\u",
            width: 4,
            after: "",
        },
    }),
    doc: Some(DocRules {
        line: "# ",
        empty: "#",
        replace: &[],
        leading: &[],
    }),
    catalog: &[],
    params: ParamRules {
        case: Case::Verbatim,
        keywords: &[],
        string: ParamTypeRule {
            ty: "str",
            text: "{}",
        },
        int: ParamTypeRule {
            ty: "int",
            text: "str({})",
        },
        bool: ParamTypeRule {
            ty: "bool",
            text: "(\"true\" if {} else \"false\")",
        },
        duration: ParamTypeRule {
            ty: "datetime.timedelta",
            text: "_errspec_duration({})",
        },
    },
    files: &[],
    reserved_files: &[],
    reserved_packages: &[],
    type_names: &[],
};

/// Every language, in the order diagnostics report them.
pub const LANGUAGES: &[Language] = &[RUST, TYPESCRIPT, DART, KOTLIN, SWIFT, PYTHON];

#[cfg(test)]
mod tests {
    use super::*;

    fn str_in(id: &str, s: &str) -> String {
        find(id).and_then(|l| l.string(s)).unwrap_or_default()
    }

    fn doc_in(id: &str, s: &str) -> String {
        find(id).and_then(|l| l.doc(s, "")).unwrap_or_default()
    }

    #[test]
    fn ids_are_unique() {
        for (i, l) in LANGUAGES.iter().enumerate() {
            assert!(LANGUAGES[..i].iter().all(|o| o.id != l.id), "{}", l.id);
        }
    }

    #[test]
    fn quotes_and_backslashes() {
        assert_eq!(
            str_in("typescript", r#"a "b" 'c' \"#),
            r#""a \"b\" 'c' \\""#
        );
        assert_eq!(str_in("dart", r#"a "b" 'c' \"#), r#"'a "b" \'c\' \\'"#);
        assert_eq!(str_in("kotlin", r#"a "b" 'c' \"#), r#""a \"b\" 'c' \\""#);
        assert_eq!(str_in("swift", r#"a "b" 'c' \"#), r#""a \"b\" 'c' \\""#);
        assert_eq!(str_in("python", r#"a "b" 'c' \"#), r#""a \"b\" 'c' \\""#);
    }

    #[test]
    fn interpolation_never_starts() {
        // `$`/`${` interpolate in Dart and Kotlin; `\(` in Swift; none in TypeScript's double quotes.
        let s = r"$x ${y} \(z) `t`";
        assert_eq!(str_in("typescript", s), r#""$x ${y} \\(z) `t`""#);
        assert_eq!(str_in("dart", s), r"'\$x \${y} \\(z) `t`'");
        assert_eq!(str_in("kotlin", s), r#""\$x \${y} \\(z) `t`""#);
        assert_eq!(str_in("swift", s), r#""$x ${y} \\(z) `t`""#);
        assert_eq!(str_in("python", s), r#""$x ${y} \\(z) `t`""#);
    }

    #[test]
    fn control_characters_and_line_separators() {
        let s = "a\nb\r\t\u{0}\u{7}\u{8}\u{c}\u{7f}\u{85}\u{2028}\u{2029}";
        assert_eq!(
            str_in("typescript", s),
            "\"a\\nb\\r\\t\\u0000\\u0007\\b\\f\u{7f}\u{85}\\u2028\\u2029\""
        );
        assert_eq!(
            str_in("dart", s),
            "'a\\nb\\r\\t\\u{0}\\u{7}\\u{8}\\u{c}\\u{7f}\\u{85}\u{2028}\u{2029}'"
        );
        assert_eq!(
            str_in("kotlin", s),
            r#""a\nb\r\t\u0000\u0007\b\u000c\u007f\u0085\u2028\u2029""#
        );
        assert_eq!(
            str_in("swift", s),
            r#""a\nb\r\t\0\u{7}\u{8}\u{c}\u{7f}\u{85}\u{2028}\u{2029}""#
        );
        assert_eq!(
            str_in("python", s),
            r#""a\nb\r\t\u0000\u0007\u0008\u000c\u007f\u0085\u2028\u2029""#
        );
    }

    #[test]
    fn typescript_strings_are_json_with_line_separators_escaped() {
        let all: String = (0..0x3000u32).filter_map(char::from_u32).collect();
        let mut expected = String::from("\"");
        for c in all.chars() {
            match c {
                '"' => expected.push_str("\\\""),
                '\\' => expected.push_str("\\\\"),
                '\u{8}' => expected.push_str("\\b"),
                '\u{c}' => expected.push_str("\\f"),
                '\n' => expected.push_str("\\n"),
                '\r' => expected.push_str("\\r"),
                '\t' => expected.push_str("\\t"),
                c if (c as u32) < 0x20 => expected.push_str(&format!("\\u{:04x}", c as u32)),
                '\u{2028}' => expected.push_str("\\u2028"),
                '\u{2029}' => expected.push_str("\\u2029"),
                c => expected.push(c),
            }
        }
        expected.push('"');
        assert_eq!(str_in("typescript", &all), expected);
    }

    #[test]
    fn doc_comments_cannot_be_closed_or_opened() {
        assert_eq!(
            doc_in("typescript", "a */ b\n\nc /* d"),
            " * a *\\/ b\n *\n * c /* d"
        );
        assert_eq!(
            doc_in("dart", "a */ b\r\nc /* d\re"),
            "/// a */ b\n/// c /\\* d\n/// e"
        );
        assert_eq!(
            doc_in("kotlin", "a */ b /* c */*"),
            " * a *\\/ b /\\* c *\\/\\*"
        );
        assert_eq!(doc_in("swift", "a /* b"), "/// a /\\* b");
        assert_eq!(str_in("swift", "a /* b */"), r#""a /\u{2a} b \u{2a}/""#);
        assert_eq!(doc_in("python", "a\n\nb */"), "# a\n#\n# b */");
        assert_eq!(
            find("dart").and_then(|l| l.doc("a\n\nb", "  ")),
            Some("  /// a\n  ///\n  /// b".to_owned())
        );
    }

    #[test]
    fn a_leading_at_is_not_a_tag() {
        assert_eq!(doc_in("typescript", "  @see x @y"), " *   \\@see x @y");
        assert_eq!(doc_in("kotlin", "@param x"), " * \\@param x");
        assert_eq!(doc_in("dart", "@x"), "/// @x");
    }

    #[test]
    fn keywords_and_members_are_escaped() {
        let ident = |id: &str, name: &str| find(id).map(|l| l.ident(name)).unwrap_or_default();
        assert_eq!(ident("rust", "SELF"), "Self_");
        assert_eq!(ident("rust", "INVALID_API_KEY"), "InvalidApiKey");
        assert_eq!(ident("typescript", "DEFAULT"), "DEFAULT");
        assert_eq!(ident("dart", "DEFAULT"), "default_");
        assert_eq!(ident("dart", "NAME"), "name_");
        assert_eq!(ident("dart", "INT"), "int_");
        assert_eq!(ident("dart", "TIMEOUT"), "timeout");
        assert_eq!(ident("swift", "DEFAULT"), "`default`");
        assert_eq!(ident("swift", "RAW_VALUE"), "rawValue_");
        assert_eq!(ident("swift", "SELF"), "self_");
        assert_eq!(ident("swift", "ACCEPTED_NAMES"), "acceptedNames_");
        assert_eq!(ident("kotlin", "INVALID_API_KEY"), "INVALID_API_KEY");
        assert_eq!(ident("kotlin", "Companion"), "Companion_");
        assert_eq!(ident("python", "None"), "None_");
        assert_eq!(
            find("kotlin").map(|l| l.type_ident("object")),
            Some("Object".to_owned())
        );
    }

    #[test]
    fn rows_without_string_rules_say_so() {
        assert_eq!(RUST.string("x"), None);
        assert_eq!(RUST.doc("x", ""), None);
    }
}
