//! The names a function's source uses but does not declare: what it would take from the
//! cell that made it. A pool sends a function's source to another process, whose engine
//! has only the library, so such a name is an error there; the kernel's side says so
//! before any worker starts (Python fails on the same mistake when it pickles).
//!
//! A name declared anywhere inside the function (a parameter, a `let`, an inner function)
//! counts as its own, even where an inner scope shadows it: a rare miss, never a false
//! alarm.

use std::ops::ControlFlow;

use boa_engine::ast::declaration::Binding;
use boa_engine::ast::expression::Identifier;
use boa_engine::ast::function::{
    AsyncFunctionDeclaration, AsyncFunctionExpression, AsyncGeneratorDeclaration, AsyncGeneratorExpression,
    ClassDeclaration, ClassExpression, FunctionDeclaration, FunctionExpression, GeneratorDeclaration,
    GeneratorExpression,
};
use boa_engine::ast::pattern::{ArrayPatternElement, ObjectPatternElement};
use boa_engine::ast::scope::Scope;
use boa_engine::ast::visitor::{VisitWith, Visitor};
use boa_engine::ast::{Expression, Statement, StatementListItem};
use boa_engine::interner::Sym;
use boa_engine::parser::Parser;
use boa_engine::{Context, JsNativeError, JsResult, JsValue, Source};

use crate::host_call::to_js;
use script_wire::Value;

/// The global names a worker's engine has: the language's and the library's.
pub struct KnownGlobals(pub Vec<String>);

/// The names `source` (a function's text) takes from outside, sorted, leaving out
/// `known`; `None` if the text is not a function or class expression.
pub fn free_names(source: &str, known: &[String], context: &mut Context) -> Option<Vec<String>> {
    let text = format!("({source}\n)");
    let script = Parser::new(Source::from_bytes(&text))
        .parse_script(&Scope::new_global(), context.interner_mut())
        .ok()?;
    let [StatementListItem::Statement(statement)] = script.statements().statements() else {
        return None;
    };
    let Statement::Expression(Expression::Parenthesized(inner)) = &**statement else {
        return None;
    };
    let function = inner.expression();
    if !matches!(
        function,
        Expression::FunctionExpression(_)
            | Expression::ArrowFunction(_)
            | Expression::AsyncArrowFunction(_)
            | Expression::GeneratorExpression(_)
            | Expression::AsyncFunctionExpression(_)
            | Expression::AsyncGeneratorExpression(_)
            | Expression::ClassExpression(_)
    ) {
        return None;
    }
    let mut names = Names::default();
    let _ = function.visit_with(&mut names);
    let interner = context.interner();
    let mut free: Vec<String> = names
        .used
        .iter()
        .filter(|sym| !names.declared.contains(sym))
        .map(|sym| interner.resolve_expect(*sym).to_string())
        .filter(|name| name != "arguments" && !known.contains(name))
        .collect();
    free.sort();
    free.dedup();
    Some(free)
}

/// The native `__freeNames(source)`: an array of names, or `null` for a text that is not
/// a function.
pub fn free_names_native(_this: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let source = match args.first() {
        Some(value) if value.is_string() => value.to_string(context)?.to_std_string_escaped(),
        _ => return Err(JsNativeError::typ().with_message("__freeNames takes a function's source").into()),
    };
    let known = context.get_data::<KnownGlobals>().map(|k| k.0.clone()).unwrap_or_default();
    Ok(match free_names(&source, &known, context) {
        Some(names) => to_js(&Value::List(names.into_iter().map(Value::Str).collect()), context),
        None => JsValue::null(),
    })
}

/// The global names of `context` now: after the library is loaded, what a fresh engine
/// in a worker has too.
pub fn known_globals(context: &mut Context, library: &[String]) -> KnownGlobals {
    let global = context.global_object();
    let mut names: Vec<String> = library.to_vec();
    if let Ok(keys) = global.own_property_keys(context) {
        names.extend(keys.iter().map(|key| key.to_string()));
    }
    names.sort();
    names.dedup();
    KnownGlobals(names)
}

#[derive(Default)]
struct Names {
    used: Vec<Sym>,
    declared: Vec<Sym>,
}

impl Names {
    fn declare(&mut self, name: Option<Identifier>) {
        if let Some(name) = name {
            self.declared.push(name.sym());
        }
    }
}

/// Each override notes a declared name, then walks on (the default walk, which also
/// visits the name as an identifier: it is then both used and declared).
impl<'ast> Visitor<'ast> for Names {
    type BreakTy = ();

    fn visit_identifier(&mut self, node: &'ast Identifier) -> ControlFlow<()> {
        self.used.push(node.sym());
        ControlFlow::Continue(())
    }

    fn visit_binding(&mut self, node: &'ast Binding) -> ControlFlow<()> {
        if let Binding::Identifier(name) = node {
            self.declared.push(name.sym());
        }
        node.visit_with(self)
    }

    fn visit_object_pattern_element(&mut self, node: &'ast ObjectPatternElement) -> ControlFlow<()> {
        if let ObjectPatternElement::SingleName { ident, .. } | ObjectPatternElement::RestProperty { ident } =
            node
        {
            self.declared.push(ident.sym());
        }
        node.visit_with(self)
    }

    fn visit_array_pattern_element(&mut self, node: &'ast ArrayPatternElement) -> ControlFlow<()> {
        if let ArrayPatternElement::SingleName { ident, .. } | ArrayPatternElement::SingleNameRest { ident } =
            node
        {
            self.declared.push(ident.sym());
        }
        node.visit_with(self)
    }

    fn visit_function_declaration(&mut self, node: &'ast FunctionDeclaration) -> ControlFlow<()> {
        self.declare(Some(node.name()));
        node.visit_with(self)
    }

    fn visit_function_expression(&mut self, node: &'ast FunctionExpression) -> ControlFlow<()> {
        self.declare(node.name());
        node.visit_with(self)
    }

    fn visit_generator_declaration(&mut self, node: &'ast GeneratorDeclaration) -> ControlFlow<()> {
        self.declare(Some(node.name()));
        node.visit_with(self)
    }

    fn visit_generator_expression(&mut self, node: &'ast GeneratorExpression) -> ControlFlow<()> {
        self.declare(node.name());
        node.visit_with(self)
    }

    fn visit_async_function_declaration(&mut self, node: &'ast AsyncFunctionDeclaration) -> ControlFlow<()> {
        self.declare(Some(node.name()));
        node.visit_with(self)
    }

    fn visit_async_function_expression(&mut self, node: &'ast AsyncFunctionExpression) -> ControlFlow<()> {
        self.declare(node.name());
        node.visit_with(self)
    }

    fn visit_async_generator_declaration(
        &mut self,
        node: &'ast AsyncGeneratorDeclaration,
    ) -> ControlFlow<()> {
        self.declare(Some(node.name()));
        node.visit_with(self)
    }

    fn visit_async_generator_expression(&mut self, node: &'ast AsyncGeneratorExpression) -> ControlFlow<()> {
        self.declare(node.name());
        node.visit_with(self)
    }

    fn visit_class_declaration(&mut self, node: &'ast ClassDeclaration) -> ControlFlow<()> {
        self.declare(Some(node.name()));
        node.visit_with(self)
    }

    fn visit_class_expression(&mut self, node: &'ast ClassExpression) -> ControlFlow<()> {
        self.declare(node.name());
        node.visit_with(self)
    }
}
