//! `__host(op, ...args)`: the one native function through which the prelude reaches the
//! notebook. It encodes its arguments, asks the kernel's host synchronously, and turns the
//! answer into a value, a thrown Python-named error, or a promise the kernel settles later.

use std::cell::RefCell;
use std::rc::Rc;

use boa_engine::builtins::promise::ResolvingFunctions;
use boa_engine::object::builtins::{JsArray, JsArrayBuffer, JsPromise, JsUint8Array};
use boa_engine::{js_string, Context, JsError, JsNativeError, JsResult, JsValue};
use script_wire::{Host, Value, MAX_DEPTH};

thread_local! {
    /// The host of the command being run (set by [`with_host`]).
    static HOST: RefCell<Option<Rc<dyn Host>>> = const { RefCell::new(None) };
}

/// Runs `body` with `host` answering the script's calls.
pub fn with_host<T>(host: &Rc<dyn Host>, body: impl FnOnce() -> T) -> T {
    let previous = HOST.with(|h| h.replace(Some(Rc::clone(host))));
    let result = body();
    HOST.with(|h| *h.borrow_mut() = previous);
    result
}

/// Whether the host of the command being run says Stop was pressed.
pub fn interrupted() -> bool {
    HOST.with(|h| h.borrow().as_ref().is_some_and(|host| host.interrupted()))
}

/// The promises given for the host's pending operations, by the host's id.
#[derive(Default)]
pub struct Pending(RefCell<Vec<(u32, ResolvingFunctions)>>);

/// How many host operations the script still waits on.
pub fn pending_count(context: &Context) -> usize {
    context.get_data::<Pending>().map_or(0, |p| p.0.borrow().len())
}

/// Forgets every pending operation (Stop: their promises never settle).
pub fn forget_pending(context: &Context) {
    if let Some(p) = context.get_data::<Pending>() {
        p.0.borrow_mut().clear();
    }
}

/// Settles pending operation `id` with the host's result, or rejects it with the error.
pub fn settle(id: u32, ok: bool, value: &Value, context: &mut Context) {
    let resolvers = context.get_data::<Pending>().and_then(|p| {
        let mut pending = p.0.borrow_mut();
        let at = pending.iter().position(|(i, _)| *i == id)?;
        Some(pending.remove(at).1)
    });
    let Some(resolvers) = resolvers else { return };
    let (function, argument) = if ok {
        (resolvers.resolve, to_js(value, context))
    } else {
        (resolvers.reject, error_from(value, context).into_opaque(context).unwrap_or_default())
    };
    // A resolve function only queues jobs; what they throw shows when they run.
    let _ = function.call(&JsValue::undefined(), &[argument], context);
}

/// The native `__host`.
pub fn host(_this: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let mut request = Vec::with_capacity(args.len());
    for arg in args {
        request.push(to_wire(arg, context, 0)?);
    }
    let request = Value::List(request).encode();
    let Some(host) = HOST.with(|h| h.borrow().clone()) else {
        return Err(JsNativeError::error().with_message("the notebook is not listening").into());
    };
    let answer = Value::decode(&host.answer(&request))
        .map_err(|e| JsError::from(JsNativeError::error().with_message(e.to_string())))?;
    let items = answer.as_list().unwrap_or(&[]);
    let item = |i: usize| items.get(i).cloned().unwrap_or(Value::None);
    match items.first().and_then(Value::as_str) {
        Some("ok") => Ok(to_js(&item(1), context)),
        Some("pending") => {
            let id = item(1).as_num().unwrap_or(0.0) as u32;
            let (promise, resolvers) = JsPromise::new_pending(context);
            if let Some(p) = context.get_data::<Pending>() {
                p.0.borrow_mut().push((id, resolvers));
            }
            Ok(promise.into())
        }
        Some("error") => Err(error_from(&Value::List(items[1..].to_vec()), context)),
        _ => Err(JsNativeError::error()
            .with_message("the notebook gave an answer the engine cannot read")
            .into()),
    }
}

/// The error the host describes as `[name, message, errno]`, as an object of the
/// prelude's class of that name.
fn error_from(value: &Value, context: &mut Context) -> JsError {
    let parts = value.as_list().unwrap_or(&[]);
    let part = |i: usize| parts.get(i).cloned().unwrap_or(Value::None);
    let make = context.global_object().get(js_string!("__pyError"), context);
    let made = make.and_then(|make| {
        let args = [to_js(&part(0), context), to_js(&part(1), context), to_js(&part(2), context)];
        match make.as_callable() {
            Some(make) => make.call(&JsValue::undefined(), &args, context),
            None => Err(JsNativeError::error().into()),
        }
    });
    match made {
        Ok(error) => JsError::from_opaque(error),
        Err(error) => error,
    }
}

/// A script's value as it crosses to the host: none, booleans, numbers, strings, bytes
/// (a `Uint8Array`) and arrays of these. Anything else is a `TypeError` in the script.
fn to_wire(value: &JsValue, context: &mut Context, depth: u32) -> JsResult<Value> {
    if value.is_undefined() || value.is_null() {
        return Ok(Value::None);
    }
    if let Some(b) = value.as_boolean() {
        return Ok(Value::Bool(b));
    }
    if let Some(n) = value.as_number() {
        return Ok(Value::Num(n));
    }
    if let Some(s) = value.as_string() {
        return Ok(Value::Str(s.to_std_string_escaped()));
    }
    let refused = |what: &str| -> JsResult<Value> {
        Err(JsNativeError::typ().with_message(format!("the notebook cannot take {what}")).into())
    };
    let Some(object) = value.as_object() else {
        return refused("this value");
    };
    if let Ok(bytes) = JsUint8Array::from_object(object.clone()) {
        let offset = bytes.byte_offset(context)?;
        let length = bytes.byte_length(context)?;
        let buffer = bytes.buffer(context)?;
        let data = buffer
            .as_object()
            .and_then(|b| JsArrayBuffer::from_object(b).ok())
            .and_then(|b| b.data().map(|d| d.get(offset..offset + length).map(<[u8]>::to_vec)));
        return match data.flatten() {
            Some(data) => Ok(Value::Bytes(data)),
            None => refused("a detached Uint8Array"),
        };
    }
    if object.is_array() {
        if depth >= MAX_DEPTH - 1 {
            return refused("arrays nested this deep");
        }
        let array = JsArray::from_object(object)?;
        let length = array.length(context)?;
        let mut items = Vec::with_capacity(length.min(1 << 16) as usize);
        for i in 0..length {
            let item = array.get(i, context)?;
            items.push(to_wire(&item, context, depth + 1)?);
        }
        return Ok(Value::List(items));
    }
    if object.is_callable() {
        return refused("a function here");
    }
    refused("an object here (give its fields one by one, or an array)")
}

/// The host's value in the script: `null` for none, a `Uint8Array` for bytes.
pub fn to_js(value: &Value, context: &mut Context) -> JsValue {
    match value {
        Value::None => JsValue::null(),
        Value::Bool(b) => JsValue::from(*b),
        Value::Num(n) => JsValue::from(*n),
        Value::Str(s) => JsValue::from(js_string!(s.as_str())),
        Value::Bytes(b) => match JsUint8Array::from_iter(b.iter().copied(), context) {
            Ok(array) => array.into(),
            Err(_) => JsValue::null(),
        },
        Value::List(items) => {
            let items: Vec<JsValue> = items.iter().map(|v| to_js(v, context)).collect();
            JsArray::from_iter(items, context).into()
        }
    }
}

/// The native `__encode(text)`: its UTF-8 bytes (`TextEncoder.encode`).
pub fn encode_utf8(_this: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let text = args.first().cloned().unwrap_or_default().to_string(context)?.to_std_string_escaped();
    Ok(to_js(&Value::Bytes(text.into_bytes()), context))
}

/// The native `__decode(bytes)`: the text of UTF-8 bytes, bad sequences replaced
/// (`TextDecoder.decode`).
pub fn decode_utf8(_this: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    match to_wire(&args.first().cloned().unwrap_or_default(), context, 0)? {
        Value::Bytes(bytes) => Ok(JsValue::from(js_string!(String::from_utf8_lossy(&bytes).as_ref()))),
        _ => Err(JsNativeError::typ().with_message("decode() takes a Uint8Array").into()),
    }
}
