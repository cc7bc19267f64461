//! The page's two languages, English and Korean, for the messages Rust writes for it.
//!
//! Every error that can reach the page implements [`Bilingual`]: its `Display` is the English
//! text (what the CLI prints and the tests match), [`Bilingual::ko`] the Korean one. Both are
//! written side by side, one arm per message, with `say!`. A free-form part of a message (the
//! reason of a parameter error, what went wrong in a layer) is a [`Text`], built with `text!`
//! from an English and a Korean template, so no such part is written in one language only.
//!
//! Main items: [`Lang`], [`Bilingual`], [`Text`], the macros `say!` and `text!`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A language the page offers (`?lang=ko`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English (the CLI's only language).
    #[default]
    En,
    /// Korean.
    Ko,
}

impl Lang {
    /// `ko` for Korean, English for anything else (a page's language code).
    pub fn from_code(code: &str) -> Lang {
        if code == "ko" {
            Lang::Ko
        } else {
            Lang::En
        }
    }
}

/// A message the page shows in either language. `Display` is [`Bilingual::say`] in English.
pub trait Bilingual {
    /// The message in `lang`.
    fn say(&self, lang: Lang) -> String;

    /// The message in Korean.
    fn ko(&self) -> String {
        self.say(Lang::Ko)
    }
}

/// A piece of text in both languages: a reason inside an error message. `Display` is English.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text {
    /// English.
    pub en: String,
    /// Korean.
    pub ko: String,
}

impl Text {
    /// A text from its English and its Korean.
    pub fn new(en: impl Into<String>, ko: impl Into<String>) -> Text {
        Text {
            en: en.into(),
            ko: ko.into(),
        }
    }

    /// A text that reads the same in both languages: a message from a library or the operating
    /// system, which comes in English only. Every other text is written in both languages.
    pub fn verbatim(s: impl Into<String>) -> Text {
        let s = s.into();
        Text {
            en: s.clone(),
            ko: s,
        }
    }

    /// The message of `m` (an error) in both languages.
    pub fn of(m: &(impl Bilingual + ?Sized)) -> Text {
        Text {
            en: m.say(Lang::En),
            ko: m.say(Lang::Ko),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Ko => &self.ko,
        }
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

impl Bilingual for Text {
    fn say(&self, lang: Lang) -> String {
        self.get(lang).to_string()
    }
}

/// `say!(lang, "English {x}", "Korean {x}")`: the message in `lang`, each template formatted
/// like `format!` (captured variables, or arguments after a `;` shared by both templates).
macro_rules! say {
    ($lang:expr, $en:literal, $ko:literal $(;)?) => {
        match $lang {
            $crate::lang::Lang::En => format!($en),
            $crate::lang::Lang::Ko => format!($ko),
        }
    };
    ($lang:expr, $en:literal, $ko:literal; $($arg:expr),+ $(,)?) => {
        match $lang {
            $crate::lang::Lang::En => format!($en, $($arg),+),
            $crate::lang::Lang::Ko => format!($ko, $($arg),+),
        }
    };
}
pub(crate) use say;

/// `text!("English {x}", "Korean {x}")`: a [`Text`] from two templates formatted like `format!`
/// (captured variables, or arguments after a `;` shared by both templates).
macro_rules! text {
    ($en:literal, $ko:literal $(;)?) => {
        $crate::lang::Text::new(format!($en), format!($ko))
    };
    ($en:literal, $ko:literal; $($arg:expr),+ $(,)?) => {
        $crate::lang::Text::new(format!($en, $($arg),+), format!($ko, $($arg),+))
    };
}
pub(crate) use text;

/// `impl Display` for a [`Bilingual`] type: its English message.
macro_rules! english_display {
    ($($ty:ty),+ $(,)?) => {$(
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&$crate::lang::Bilingual::say(self, $crate::lang::Lang::En))
            }
        }
    )+};
}
pub(crate) use english_display;

/// Whether `s` holds a Hangul syllable (for tests of Korean messages).
pub fn has_hangul(s: &str) -> bool {
    s.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
}

#[cfg(test)]
mod tests;
