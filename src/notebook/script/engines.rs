//! The kernel's script engine: none until the first script cell runs, then one for the
//! kernel's life (its globals are the script's state across cells; a kernel restart makes
//! a new kernel and so a new engine).

use std::cell::RefCell;
use std::rc::Rc;

use futures::future::LocalBoxFuture;
use script_wire::Engine;

use super::files::OpenFiles;
use super::logs::ScriptLogs;
use crate::notebook::cell::CellError;

/// Makes an engine: in the browser it fetches and starts the engine's module.
pub type EngineLoader = Rc<dyn Fn() -> LocalBoxFuture<'static, Result<Box<dyn Engine>, String>>>;

/// An engine shared by the run driving it and the host answering it.
pub type SharedEngine = Rc<RefCell<Box<dyn Engine>>>;

/// What a kernel keeps for its script cells.
#[derive(Default)]
pub struct ScriptEngines {
    loader: Option<EngineLoader>,
    engine: RefCell<Option<SharedEngine>>,
    files: Rc<OpenFiles>,
    logs: Rc<ScriptLogs>,
}

impl ScriptEngines {
    /// Script cells whose engine `loader` makes.
    pub fn new(loader: EngineLoader) -> ScriptEngines {
        ScriptEngines { loader: Some(loader), ..ScriptEngines::default() }
    }

    /// The engine, made on first use.
    pub(super) async fn engine(&self) -> Result<SharedEngine, CellError> {
        if let Some(engine) = self.engine.borrow().as_ref() {
            return Ok(Rc::clone(engine));
        }
        let Some(loader) = &self.loader else {
            return Err(CellError::new(
                "RuntimeError",
                "this kernel has no script engine: script cells cannot run here",
            ));
        };
        let engine = loader().await.map_err(|why| {
            CellError::new("RuntimeError", format!("the script engine could not be started: {why}"))
        })?;
        let engine = Rc::new(RefCell::new(engine));
        // Two runs cannot load at once (one cell runs at a time), but keep the first anyway.
        Ok(Rc::clone(self.engine.borrow_mut().get_or_insert(engine)))
    }

    /// Forgets the engine after it failed in a way that may have left it broken (a crash
    /// of its module): the next script run makes a new one, with fresh globals.
    pub(super) fn discard(&self) {
        self.engine.borrow_mut().take();
        self.files.close_all();
    }

    /// The files scripts opened and still hold.
    pub(super) fn files(&self) -> Rc<OpenFiles> {
        Rc::clone(&self.files)
    }

    /// The log handlers scripts made.
    pub(super) fn logs(&self) -> Rc<ScriptLogs> {
        Rc::clone(&self.logs)
    }
}
