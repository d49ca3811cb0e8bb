//! A cell's code as the engine runs it. Most cells are scripts, so their declarations
//! become the realm's globals and the next cell sees them. As in a browser's console, a
//! cell may be run again and a later cell may declare a name again, which a script's
//! top-level `let`, `const` and `class` would refuse: a declaration of a name an earlier
//! cell declared is run as an assignment (the keyword blanked in place, so lines and
//! columns stay; a class's line gains `Name = `). A first declaration stays a lexical
//! binding, which the engine reads far faster than a global object's property. `const` is
//! run as `let`, so a later cell may give the name a new value.
//! A script cannot `await` at its top level; a cell that does is wrapped in an async
//! function, and the names it declares are made global when it ends (so a later cell sees
//! their values, though not later reassignments inside the cell's own closures).

use boa_engine::ast::declaration::{Binding, LexicalDeclaration};
use boa_engine::ast::operations::{bound_names, lexically_declared_names, var_declared_names};
use boa_engine::ast::pattern::Pattern;
use boa_engine::ast::scope::Scope;
use boa_engine::ast::{Declaration, Position, Spanned, StatementListItem};
use boa_engine::parser::Parser;
use boa_engine::{js_string, Context, JsError, JsValue, Source};

/// The source to run, and what to make global after it.
pub struct CellCode {
    pub source: String,
    /// The names a wrapped cell declares (its promise resolves to their values in order).
    pub exports: Vec<String>,
    /// Whether the cell was wrapped (its result is a promise to wait for).
    pub wrapped: bool,
    /// The names it declares at its top level, which later cells may declare again.
    pub declares: Vec<String>,
}

/// The text before a wrapped cell's code: on the cell's first line, so line numbers stay.
const WRAP_START: &str = "(async () => {";

impl CellCode {
    /// The cell's code, wrapped if it awaits at its top level; a syntax error otherwise.
    /// `declared`: the names earlier cells declared.
    pub fn prepare(code: &str, declared: &[String], context: &mut Context) -> Result<CellCode, JsError> {
        let script_error = match Parser::new(Source::from_bytes(code))
            .parse_script(&Scope::new_global(), context.interner_mut())
        {
            Ok(script) => {
                let source = redeclarable(code, script.statements().statements(), declared, context);
                let declares = names(lexically_declared_names(&script), context);
                return Ok(CellCode { source, exports: Vec::new(), wrapped: false, declares });
            }
            Err(error) => error,
        };
        // A module may await at its top level: if the code parses as one, it only needs
        // the wrapping. Otherwise the script's own error is the one to show.
        let module =
            Parser::new(Source::from_bytes(code)).parse_module(&Scope::new_global(), context.interner_mut());
        let Ok(module) = module else {
            return Err(JsError::from(script_error));
        };
        let mut exports = names(lexically_declared_names(&module), context);
        exports.extend(names(var_declared_names(&module), context));
        exports.sort();
        exports.dedup();
        let source = format!("{WRAP_START}{code}\n;return [{}];\n}})()", exports.join(", "));
        Ok(CellCode { source, declares: exports.clone(), exports, wrapped: true })
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

fn names(symbols: impl IntoIterator<Item = boa_engine::interner::Sym>, context: &mut Context) -> Vec<String> {
    let interner = context.interner();
    symbols.into_iter().map(|sym| interner.resolve_expect(sym).to_string()).collect()
}

/// `code` with each top-level `const` made a `let`, and each `let`, `const` or `class`
/// of names all `declared` before made an assignment.
fn redeclarable(
    code: &str,
    items: &[StatementListItem],
    declared: &[String],
    context: &mut Context,
) -> String {
    let known = |syms: Vec<boa_engine::interner::Sym>, context: &mut Context| {
        let names = names(syms, context);
        !names.is_empty() && names.iter().all(|n| declared.contains(n))
    };
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for item in items {
        let StatementListItem::Declaration(declaration) = item else { continue };
        match &**declaration {
            Declaration::Lexical(lexical) => {
                let keyword = match lexical {
                    LexicalDeclaration::Const(_) => "const",
                    LexicalDeclaration::Let(_) => "let",
                    _ => continue,
                };
                let Some(first) = lexical.variable_list().as_ref().first() else { continue };
                let start = match first.binding() {
                    Binding::Identifier(name) => name.span().start(),
                    // `{a} = v` would read as a block: such a declaration stays as it is.
                    Binding::Pattern(Pattern::Object(_)) => continue,
                    Binding::Pattern(pattern) => pattern.span().start(),
                };
                let Some(at) = keyword_before(code, start, keyword) else { continue };
                let again = known(bound_names(lexical), context);
                let replacement = match (again, keyword) {
                    (true, _) => " ".repeat(keyword.len()),
                    (false, "const") => "let  ".to_string(),
                    (false, _) => continue,
                };
                edits.push((at, keyword.len(), replacement));
            }
            Declaration::ClassDeclaration(class) => {
                let name = class.name();
                if !known(vec![name.sym()], context) {
                    continue;
                }
                if let Some(at) = keyword_before(code, name.span().start(), "class") {
                    let name = context.interner().resolve_expect(name.sym()).to_string();
                    edits.push((at, 0, format!("{name} = ")));
                }
            }
            _ => {}
        }
    }
    let mut source = code.to_string();
    for (at, length, replacement) in edits.into_iter().rev() {
        source.replace_range(at..at + length, &replacement);
    }
    source
}

/// Where `keyword` starts if it comes right before `position` (spaces between only).
fn keyword_before(code: &str, position: Position, keyword: &str) -> Option<usize> {
    let line_start = code
        .split_inclusive('\n')
        .take(position.line_number().checked_sub(1)? as usize)
        .map(str::len)
        .sum::<usize>();
    let line = code.get(line_start..)?;
    let column = line.char_indices().nth(position.column_number().checked_sub(1)? as usize)?.0;
    let before = line[..column].trim_end();
    let at = before.strip_suffix(keyword)?.len();
    let boundary =
        before[..at].chars().next_back().is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '$'));
    boundary.then_some(line_start + at)
}

/// The names the library's script declares (which a cell may take, as Python lets a
/// program rebind `print`).
pub fn library_names(prelude: &str, context: &mut Context) -> Vec<String> {
    match Parser::new(Source::from_bytes(prelude)).parse_script(&Scope::new_global(), context.interner_mut())
    {
        Ok(script) => {
            let mut all = names(var_declared_names(&script), context);
            all.extend(names(lexically_declared_names(&script), context));
            all
        }
        Err(_) => Vec::new(),
    }
}
