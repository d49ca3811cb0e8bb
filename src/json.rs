//! Reading JSON into the crate's types with less code in the module. serde's derived
//! `Deserialize` for a struct asks for `deserialize_struct`, and serde_json answers both a
//! JSON object and a JSON array there, so every struct type the module reads carries the
//! code of both ways of reading it; nothing here is ever sent as an array. [`from_str`]
//! reads through [`MapsOnly`], which asks serde_json for objects only, at every depth:
//! each struct is then read one way only. It reads the same JSON objects the same way;
//! an array where a struct is expected is refused as the wrong type.

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};
use serde::Deserialize;

/// Reads `text` as a `T` (see the module's doc): what `serde_json::from_str` reads, but
/// structs from JSON objects only.
pub fn from_str<'de, T: Deserialize<'de>>(text: &'de str) -> serde_json::Result<T> {
    let mut reader = serde_json::Deserializer::from_str(text);
    let value = T::deserialize(MapsOnly(&mut reader))?;
    reader.end()?;
    Ok(value)
}

/// A deserializer that passes everything to the one it wraps, except that a struct is read
/// as a map; what it hands on (values of maps, elements of sequences, variants) is wrapped
/// the same way.
pub struct MapsOnly<D>(pub D);

/// A visitor, seed or access wrapped so that what it reads next is read through [`MapsOnly`].
struct Wrap<T>(T);

macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*)),* $(,)?) => {
        $(fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
            self.0.$method($($arg,)* Wrap(visitor))
        })*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for MapsOnly<D> {
    type Error = D::Error;

    forward!(
        deserialize_any(),
        deserialize_bool(),
        deserialize_i8(),
        deserialize_i16(),
        deserialize_i32(),
        deserialize_i64(),
        deserialize_i128(),
        deserialize_u8(),
        deserialize_u16(),
        deserialize_u32(),
        deserialize_u64(),
        deserialize_u128(),
        deserialize_f32(),
        deserialize_f64(),
        deserialize_char(),
        deserialize_str(),
        deserialize_string(),
        deserialize_bytes(),
        deserialize_byte_buf(),
        deserialize_option(),
        deserialize_unit(),
        deserialize_seq(),
        deserialize_map(),
        deserialize_identifier(),
        deserialize_ignored_any(),
        deserialize_unit_struct(name: &'static str),
        deserialize_newtype_struct(name: &'static str),
        deserialize_tuple(len: usize),
        deserialize_tuple_struct(name: &'static str, len: usize),
        deserialize_enum(name: &'static str, variants: &'static [&'static str]),
    );

    /// The point of the type: a struct is a map.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(Wrap(visitor))
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

macro_rules! visit {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
            self.0.$method(v)
        })*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        self.0.expecting(f)
    }

    visit!(
        visit_bool: bool,
        visit_i64: i64,
        visit_i128: i128,
        visit_u64: u64,
        visit_u128: u128,
        visit_f64: f64,
        visit_char: char,
        visit_str: &str,
        visit_borrowed_str: &'de str,
        visit_string: String,
        visit_bytes: &[u8],
        visit_borrowed_bytes: &'de [u8],
        visit_byte_buf: Vec<u8>
    );

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_some(MapsOnly(d))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_newtype_struct(MapsOnly(d))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.0.visit_seq(Wrap(seq))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(Wrap(map))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.0.visit_enum(Wrap(data))
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Wrap<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(MapsOnly(d))
    }
}

impl<'de, A: de::SeqAccess<'de>> de::SeqAccess<'de> for Wrap<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(Wrap(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: de::MapAccess<'de>> de::MapAccess<'de> for Wrap<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(Wrap(seed))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.0.next_value_seed(Wrap(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: de::EnumAccess<'de>> de::EnumAccess<'de> for Wrap<A> {
    type Error = A::Error;
    type Variant = Wrap<A::Variant>;

    fn variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<(T::Value, Self::Variant), A::Error> {
        self.0.variant_seed(Wrap(seed)).map(|(value, variant)| (value, Wrap(variant)))
    }
}

impl<'de, A: de::VariantAccess<'de>> de::VariantAccess<'de> for Wrap<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(Wrap(seed))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Wrap(visitor))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.struct_variant(fields, Wrap(visitor))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Inner {
        n: u32,
        tag: Option<String>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Shape {
        Unit,
        Wrapped(Inner),
        Pair(u8, u8),
        Named { inner: Inner },
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Outer {
        inners: Vec<Inner>,
        shapes: Vec<Shape>,
        maybe: Option<Inner>,
        pair: (Inner, bool),
    }

    const TEXT: &str = r#"{"inners":[{"n":1,"tag":"a"},{"tag":null,"n":2}],
        "shapes":["unit",{"wrapped":{"n":3,"tag":null}},{"pair":[4,5]},{"named":{"inner":{"n":6,"tag":"b"}}}],
        "maybe":{"n":7,"tag":"c","extra":[1,{"x":2}]},"pair":[{"n":8,"tag":null},true]}"#;

    #[test]
    fn reads_what_serde_json_reads_from_objects_at_every_depth() {
        let ours: Outer = from_str(TEXT).unwrap();
        let theirs: Outer = serde_json::from_str(TEXT).unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(ours.shapes[3], Shape::Named { inner: Inner { n: 6, tag: Some("b".into()) } });
        let raw: &serde_json::value::RawValue = from_str(r#" {"a": [1, 2]} "#).unwrap();
        assert_eq!(raw.get(), r#"{"a": [1, 2]}"#, "raw JSON is kept as it came");
    }

    #[test]
    fn a_struct_sent_as_an_array_is_refused_as_the_wrong_type() {
        assert!(serde_json::from_str::<Inner>(r#"[1, null]"#).is_ok(), "serde_json alone takes it");
        let error = from_str::<Inner>(r#"[1, null]"#).unwrap_err().to_string();
        assert!(error.contains("invalid type: sequence"), "{error}");
        assert!(from_str::<Inner>(r#"{"n":1,"tag":null} x"#).is_err(), "trailing text is refused");
        assert!(from_str::<Inner>(r#"{"n":-1,"tag":null}"#).is_err());
    }
}
