//! A cell's code as the engine runs it. Most cells are scripts, run as they are, so their
//! `let`, `const`, `function` and `class` declarations become the realm's globals and the
//! next cell sees them. A script cannot `await` at its top level; a cell that does is
//! wrapped in an async function, and the names it declares are made global when it ends
//! (so a later cell sees their values, though not later reassignments inside the cell's
//! own closures).

use boa_engine::ast::operations::{lexically_declared_names, var_declared_names};
use boa_engine::ast::scope::Scope;
use boa_engine::parser::Parser;
use boa_engine::{js_string, Context, JsError, JsValue, Source};

/// The source to run, and what to make global after it.
pub struct CellCode {
    pub source: String,
    /// The names a wrapped cell declares (its promise resolves to their values in order).
    pub exports: Vec<String>,
    /// Whether the cell was wrapped (its result is a promise to wait for).
    pub wrapped: bool,
}

/// The text before a wrapped cell's code: on the cell's first line, so line numbers stay.
const WRAP_START: &str = "(async () => {";

impl CellCode {
    /// The cell's code, wrapped if it awaits at its top level; a syntax error otherwise.
    pub fn prepare(code: &str, context: &mut Context) -> Result<CellCode, JsError> {
        let script_error = match Parser::new(Source::from_bytes(code))
            .parse_script(&Scope::new_global(), context.interner_mut())
        {
            Ok(_) => return Ok(CellCode { source: code.to_string(), exports: Vec::new(), wrapped: false }),
            Err(error) => error,
        };
        // A module may await at its top level: if the code parses as one, it only needs
        // the wrapping. Otherwise the script's own error is the one to show.
        let module =
            Parser::new(Source::from_bytes(code)).parse_module(&Scope::new_global(), context.interner_mut());
        let Ok(module) = module else {
            return Err(JsError::from(script_error));
        };
        let interner = context.interner_mut();
        let mut names: Vec<String> = lexically_declared_names(&module)
            .into_iter()
            .chain(var_declared_names(&module))
            .map(|sym| interner.resolve_expect(sym).to_string())
            .collect();
        names.sort();
        names.dedup();
        let source = format!("{WRAP_START}{code}\n;return [{}];\n}})()", names.join(", "));
        Ok(CellCode { source, exports: names, wrapped: true })
    }
}

/// Makes a wrapped cell's declared names global, from the array its promise gave.
pub fn export(values: &JsValue, names: &[String], context: &mut Context) {
    let Some(values) = values.as_object() else { return };
    let global = context.global_object();
    for (i, name) in names.iter().enumerate() {
        if let Ok(value) = values.get(i as u32, context) {
            let _ = global.set(js_string!(name.as_str()), value, false, context);
        }
    }
}
