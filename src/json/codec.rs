//! [`ToJson`] and [`FromJson`]: a type written to and read from JSON text by a few direct
//! calls on a [`Writer`] or [`Reader`], in the same JSON shape as serde's derives give it
//! (a struct as an object, a unit variant as its name, any other variant as an object of
//! one key), but compiled once per type rather than once per type and serde visitor, field
//! visitor and serializer state. [`json_struct!`] and [`json_enum!`] write both for a type
//! from its list of fields.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::read::{Reader, Result};
use super::write::Writer;

/// A type written as JSON.
pub trait ToJson {
    /// Writes the value at the writer's place.
    fn write_json(&self, w: &mut Writer);
}

/// A type read from JSON.
pub trait FromJson: Sized {
    /// Reads the value at the reader's place.
    fn read_json(r: &mut Reader<'_>) -> Result<Self>;

    /// The value of an object's field that is not there: none, so its absence is an
    /// error, except for an `Option`, which is then `None` (as serde reads it).
    fn absent() -> Option<Self> {
        None
    }
}

/// The JSON text of `value`.
pub fn to_string<T: ToJson + ?Sized>(value: &T) -> String {
    let mut w = Writer::new();
    value.write_json(&mut w);
    w.into_string()
}

/// Reads a `T` from the whole of `text`.
pub fn from_str<T: FromJson>(text: &str) -> Result<T> {
    let mut r = Reader::new(text);
    let value = T::read_json(&mut r)?;
    r.finish()?;
    Ok(value)
}

/// Reads an object's field into its slot: an error if the key came before.
pub fn read_field<T: FromJson>(r: &mut Reader<'_>, slot: &mut Option<T>, key: &str) -> Result<()> {
    if slot.is_some() {
        return Err(r.duplicate(key));
    }
    *slot = Some(T::read_json(r)?);
    Ok(())
}

/// A field's value once its object is read: what came, or its [`FromJson::absent`] value.
pub fn take_field<T: FromJson>(r: &Reader<'_>, slot: Option<T>, key: &str) -> Result<T> {
    slot.or_else(T::absent).ok_or_else(|| r.missing(key))
}

impl ToJson for str {
    fn write_json(&self, w: &mut Writer) {
        w.str(self);
    }
}

impl ToJson for String {
    fn write_json(&self, w: &mut Writer) {
        w.str(self);
    }
}

impl FromJson for String {
    fn read_json(r: &mut Reader<'_>) -> Result<String> {
        r.str().map(Cow::into_owned)
    }
}

impl ToJson for Cow<'static, str> {
    fn write_json(&self, w: &mut Writer) {
        w.str(self);
    }
}

impl FromJson for Cow<'static, str> {
    fn read_json(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Cow::Owned(r.str()?.into_owned()))
    }
}

impl ToJson for bool {
    fn write_json(&self, w: &mut Writer) {
        w.bool(*self);
    }
}

impl FromJson for bool {
    fn read_json(r: &mut Reader<'_>) -> Result<bool> {
        r.bool()
    }
}

impl ToJson for u32 {
    fn write_json(&self, w: &mut Writer) {
        w.u64(u64::from(*self));
    }
}

impl FromJson for u32 {
    fn read_json(r: &mut Reader<'_>) -> Result<u32> {
        r.u32()
    }
}

impl ToJson for u64 {
    fn write_json(&self, w: &mut Writer) {
        w.u64(*self);
    }
}

impl FromJson for u64 {
    fn read_json(r: &mut Reader<'_>) -> Result<u64> {
        r.u64()
    }
}

impl ToJson for i64 {
    fn write_json(&self, w: &mut Writer) {
        w.i64(*self);
    }
}

impl FromJson for i64 {
    fn read_json(r: &mut Reader<'_>) -> Result<i64> {
        r.i64()
    }
}

impl ToJson for f64 {
    fn write_json(&self, w: &mut Writer) {
        w.f64(*self);
    }
}

impl FromJson for f64 {
    fn read_json(r: &mut Reader<'_>) -> Result<f64> {
        r.f64()
    }
}

impl ToJson for serde_json::Value {
    fn write_json(&self, w: &mut Writer) {
        w.value(self);
    }
}

impl FromJson for serde_json::Value {
    fn read_json(r: &mut Reader<'_>) -> Result<serde_json::Value> {
        r.value()
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, w: &mut Writer) {
        match self {
            Some(value) => value.write_json(w),
            None => w.raw("null"),
        }
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn read_json(r: &mut Reader<'_>) -> Result<Option<T>> {
        if r.null()? {
            return Ok(None);
        }
        T::read_json(r).map(Some)
    }

    fn absent() -> Option<Option<T>> {
        Some(None)
    }
}

impl<T: ToJson> ToJson for Box<T> {
    fn write_json(&self, w: &mut Writer) {
        (**self).write_json(w);
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn read_json(r: &mut Reader<'_>) -> Result<Box<T>> {
        T::read_json(r).map(Box::new)
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, w: &mut Writer) {
        w.raw("[");
        for item in self {
            w.item();
            item.write_json(w);
        }
        w.raw("]");
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn read_json(r: &mut Reader<'_>) -> Result<Vec<T>> {
        let mut items = Vec::new();
        r.array(&mut |r| {
            items.push(T::read_json(r)?);
            Ok(())
        })?;
        Ok(items)
    }
}

impl ToJson for BTreeMap<String, String> {
    fn write_json(&self, w: &mut Writer) {
        w.raw("{");
        for (key, value) in self {
            w.key(key);
            w.str(value);
        }
        w.raw("}");
    }
}

impl FromJson for BTreeMap<String, String> {
    /// A later duplicate key wins, as serde reads a map.
    fn read_json(r: &mut Reader<'_>) -> Result<Self> {
        let mut map = BTreeMap::new();
        r.object(&mut |r, key| {
            map.insert(key.to_string(), String::read_json(r)?);
            Ok(())
        })?;
        Ok(map)
    }
}

/// serde's `Result`: `{"Ok": value}` or `{"Err": error}`.
impl<T: ToJson, E: ToJson> ToJson for std::result::Result<T, E> {
    fn write_json(&self, w: &mut Writer) {
        match self {
            Ok(value) => {
                w.raw("{\"Ok\":");
                value.write_json(w);
            }
            Err(error) => {
                w.raw("{\"Err\":");
                error.write_json(w);
            }
        }
        w.raw("}");
    }
}

impl<T: FromJson, E: FromJson> FromJson for std::result::Result<T, E> {
    fn read_json(r: &mut Reader<'_>) -> Result<Self> {
        let (index, content) = r.variant(&["Ok", "Err"])?;
        r.content(content)?;
        let value = if index == 0 { Ok(T::read_json(r)?) } else { Err(E::read_json(r)?) };
        r.end_variant(content)?;
        Ok(value)
    }
}

/// [`ToJson`] and [`FromJson`] for a struct written as an object of its fields, as
/// serde's derive writes it. Each field is `name`, with options in brackets after it:
/// `"key"` for another key (serde's `rename`), `default` to read an absent field as the
/// type's default (serde's `default`), `skip_none` to leave a `None` out
/// (`skip_serializing_if = "Option::is_none"`), in this order. Writing destructures the
/// struct and reading builds it, so a field left out of the list does not compile.
#[macro_export]
macro_rules! json_struct {
    ($ty:ident { $($field:ident $([$($opt:tt)*])?),* $(,)? }) => {
        impl $crate::json::ToJson for $ty {
            fn write_json(&self, w: &mut $crate::json::Writer) {
                let $ty { $($field),* } = self;
                w.raw("{");
                $($crate::json_struct!(@write w, $field, [$($($opt)*)?]);)*
                w.raw("}");
            }
        }

        impl $crate::json::FromJson for $ty {
            fn read_json(r: &mut $crate::json::Reader<'_>) -> $crate::json::Result<$ty> {
                $crate::json_struct!(@read r, $ty { $($field [$($($opt)*)?]),* })
            }
        }
    };

    // The fields of `$ty` or `$ty::$variant` (a struct or a struct variant), read from the object at `$r`.
    (@read $r:ident, $ty:ident $(:: $variant:ident)? { $($field:ident [$($opt:tt)*]),* }) => {{
        $(let mut $field = None;)*
        $r.object(&mut |r, _key| {
            $(if _key == $crate::json_struct!(@key $field [$($opt)*]) {
                return $crate::json::read_field(r, &mut $field, _key);
            })*
            r.skip()
        })?;
        Ok($ty $(:: $variant)? { $($field: $crate::json_struct!(@take $r, $field, [$($opt)*]),)* })
    }};

    (@key $field:ident [$key:literal $($rest:tt)*]) => { $key };
    (@key $field:ident [$($rest:tt)*]) => { stringify!($field) };

    (@write $w:ident, $field:ident, [$($opt:tt)*]) => {
        $crate::json_struct!(@write_as $w, $field, $crate::json_struct!(@key $field [$($opt)*]), [$($opt)*])
    };
    (@write_as $w:ident, $field:ident, $key:expr, [$lit:literal $($rest:tt)*]) => {
        $crate::json_struct!(@write_as $w, $field, $key, [$($rest)*])
    };
    (@write_as $w:ident, $field:ident, $key:expr, [default $($rest:tt)*]) => {
        $crate::json_struct!(@write_as $w, $field, $key, [$($rest)*])
    };
    (@write_as $w:ident, $field:ident, $key:expr, [skip_none]) => {
        if let Some(value) = $field {
            $w.key($key);
            $crate::json::ToJson::write_json(value, $w);
        }
    };
    (@write_as $w:ident, $field:ident, $key:expr, []) => {
        $w.key($key);
        $crate::json::ToJson::write_json($field, $w);
    };

    (@take $r:ident, $field:ident, [$($opt:tt)*]) => {
        $crate::json_struct!(@take_as $r, $field, $crate::json_struct!(@key $field [$($opt)*]), [$($opt)*])
    };
    (@take_as $r:ident, $field:ident, $key:expr, [$lit:literal $($rest:tt)*]) => {
        $crate::json_struct!(@take_as $r, $field, $key, [$($rest)*])
    };
    (@take_as $r:ident, $field:ident, $key:expr, [default $($rest:tt)*]) => {
        $field.unwrap_or_default()
    };
    (@take_as $r:ident, $field:ident, $key:expr, [$($rest:tt)*]) => {
        $crate::json::take_field($r, $field, $key)?
    };
}

/// [`ToJson`] and [`FromJson`] for a fieldless `Copy` enum as serde's derive writes it:
/// each variant as its name (`Name = "name"`).
#[macro_export]
macro_rules! json_names {
    ($ty:ident { $($variant:ident = $name:literal),* $(,)? }) => {
        impl $crate::json::ToJson for $ty {
            fn write_json(&self, w: &mut $crate::json::Writer) {
                w.str(match self {
                    $($ty::$variant => $name,)*
                });
            }
        }

        impl $crate::json::FromJson for $ty {
            fn read_json(r: &mut $crate::json::Reader<'_>) -> $crate::json::Result<$ty> {
                const ALL: &[$ty] = &[$($ty::$variant),*];
                let index = r.unit_variant(&[$($name),*])?;
                ALL.get(index).copied().ok_or_else(|| r.error("unknown variant"))
            }
        }
    };
}

/// [`ToJson`] and [`FromJson`] for an enum as serde's derive writes it: a unit variant as
/// its name (`Name = "name"`), a struct variant as an object of one key, its name, whose
/// value is the object of its fields (`Name = "name" { field, ... }`, fields as in
/// [`json_struct!`]).
#[macro_export]
macro_rules! json_enum {
    ($ty:ident { $($variant:ident = $name:literal $({ $($field:ident $([$($opt:tt)*])?),* $(,)? })?),* $(,)? }) => {
        impl $crate::json::ToJson for $ty {
            fn write_json(&self, w: &mut $crate::json::Writer) {
                match self {
                    $($crate::json_enum!(@pattern $ty, $variant $({ $($field),* })?) => {
                        $crate::json_enum!(@write w, $name $({ $($field [$($($opt)*)?]),* })?);
                    })*
                }
            }
        }

        impl $crate::json::FromJson for $ty {
            fn read_json(r: &mut $crate::json::Reader<'_>) -> $crate::json::Result<$ty> {
                const NAMES: &[&str] = &[$($name),*];
                let (index, content) = r.variant(NAMES)?;
                let value = $crate::json_enum!(@arms r, content, index, 0usize, $ty, [$($variant $({ $($field [$($($opt)*)?]),* })?),*]);
                r.end_variant(content)?;
                value
            }
        }
    };

    (@pattern $ty:ident, $variant:ident { $($field:ident),* }) => { $ty::$variant { $($field),* } };
    (@pattern $ty:ident, $variant:ident) => { $ty::$variant };

    (@write $w:ident, $name:literal { $($field:ident [$($opt:tt)*]),* }) => {
        $w.raw("{");
        $w.key($name);
        $w.raw("{");
        $($crate::json_struct!(@write $w, $field, [$($opt)*]);)*
        $w.raw("}}");
    };
    (@write $w:ident, $name:literal) => {
        $w.str($name);
    };

    // An `if` per variant, by its index among the names.
    (@arms $r:ident, $content:ident, $index:ident, $at:expr, $ty:ident, []) => {
        Err($r.error("unknown variant"))
    };
    (@arms $r:ident, $content:ident, $index:ident, $at:expr, $ty:ident,
        [$variant:ident { $($field:ident [$($opt:tt)*]),* } $(, $($rest:tt)*)?]) => {
        if $index == $at {
            $r.content($content)?;
            let read: $crate::json::Result<$ty> = $crate::json_struct!(@read $r, $ty::$variant { $($field [$($opt)*]),* });
            read
        } else {
            $crate::json_enum!(@arms $r, $content, $index, $at + 1, $ty, [$($($rest)*)?])
        }
    };
    (@arms $r:ident, $content:ident, $index:ident, $at:expr, $ty:ident, [$variant:ident $(, $($rest:tt)*)?]) => {
        if $index == $at {
            $r.unit($content).map(|()| $ty::$variant)
        } else {
            $crate::json_enum!(@arms $r, $content, $index, $at + 1, $ty, [$($($rest)*)?])
        }
    };
}
