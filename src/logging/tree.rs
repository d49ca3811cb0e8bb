//! The tree of named loggers (`a.b` below `a` below the root): each logger's settings,
//! the parent fix-ups Python makes, and the walks a record or a level takes up the tree.
//! A plain structure: `super::logger` keeps the thread's tree and its handles.

use std::rc::Rc;

use super::handler::{Filter, Handler};
use super::level::{Level, NOTSET, WARNING};

/// The root logger's name in records.
pub const ROOT_NAME: &str = "root";

/// One logger's settings.
pub(super) struct Node {
    pub(super) name: Rc<str>,
    pub(super) level: Level,
    pub(super) parent: Option<usize>,
    pub(super) handlers: Vec<Handler>,
    pub(super) filters: Vec<Filter>,
    pub(super) propagate: bool,
    pub(super) disabled: bool,
}

/// Every logger of the thread, the root at index 0.
pub(super) struct Tree {
    nodes: Vec<Node>,
    by_name: litemap::LiteMap<Rc<str>, usize>,
}

impl Tree {
    pub(super) fn new() -> Tree {
        let root = Node {
            name: Rc::from(ROOT_NAME),
            level: WARNING,
            parent: None,
            handlers: Vec::new(),
            filters: Vec::new(),
            propagate: true,
            disabled: false,
        };
        Tree { nodes: vec![root], by_name: litemap::LiteMap::new() }
    }

    /// The logger called `name`, made (with Python's parent fix-ups) if new.
    pub(super) fn id(&mut self, name: &str) -> usize {
        if name.is_empty() || name == ROOT_NAME {
            return 0;
        }
        if let Some(&id) = self.by_name.get(name) {
            return id;
        }
        // The nearest existing ancestor is the parent (Python's _fixupParents).
        let mut parent = 0;
        let mut prefix = name;
        while let Some(dot) = prefix.rfind('.') {
            prefix = &prefix[..dot];
            if let Some(&id) = self.by_name.get(prefix) {
                parent = id;
                break;
            }
        }
        let id = self.nodes.len();
        let name: Rc<str> = Rc::from(name);
        // Descendants that skipped over this name now hang below it (_fixupChildren).
        for node in self.nodes.iter_mut().skip(1) {
            if node.name.len() > name.len()
                && node.name.starts_with(&*name)
                && node.name.as_bytes().get(name.len()) == Some(&b'.')
                && node.parent == Some(parent)
            {
                node.parent = Some(id);
            }
        }
        self.nodes.push(Node {
            name: name.clone(),
            level: NOTSET,
            parent: Some(parent),
            handlers: Vec::new(),
            filters: Vec::new(),
            propagate: true,
            disabled: false,
        });
        self.by_name.insert(name, id);
        id
    }

    pub(super) fn node(&self, id: usize) -> Option<&Node> {
        self.nodes.get(id)
    }

    pub(super) fn node_mut(&mut self, id: usize) -> Option<&mut Node> {
        self.nodes.get_mut(id)
    }

    /// The first level set on the way to the root (NOTSET if none).
    pub(super) fn effective_level(&self, mut id: usize) -> Level {
        while let Some(node) = self.node(id) {
            if node.level != NOTSET {
                return node.level;
            }
            match node.parent {
                Some(parent) => id = parent,
                None => break,
            }
        }
        NOTSET
    }

    /// The least severe level some enabled logger passes (for the `log` facade).
    pub(super) fn most_verbose(&self, disable: i32) -> Option<Level> {
        (0..self.nodes.len())
            .filter(|&id| self.nodes.get(id).is_some_and(|n| !n.disabled))
            .map(|id| Level(self.effective_level(id).0.max(disable.saturating_add(1))))
            .min()
    }

    /// The handlers on the record's way whose level passes it, and how many handlers
    /// were met at all.
    pub(super) fn handlers_for(&self, mut id: usize, level: Level) -> (Vec<Handler>, usize) {
        let mut chosen = Vec::new();
        let mut found = 0;
        while let Some(node) = self.node(id) {
            for h in &node.handlers {
                found += 1;
                if level >= h.level() {
                    chosen.push(h.clone());
                }
            }
            match (node.propagate, node.parent) {
                (true, Some(parent)) => id = parent,
                _ => break,
            }
        }
        (chosen, found)
    }

    pub(super) fn all_handlers(&self) -> Vec<Handler> {
        let mut all: Vec<Handler> = Vec::new();
        for node in &self.nodes {
            for h in &node.handlers {
                if !all.iter().any(|a| a.ptr_eq(h)) {
                    all.push(h.clone());
                }
            }
        }
        all
    }
}
