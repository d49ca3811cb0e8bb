//! The layer an open file holds: a buffered file as a `Buffered`, any other layer as a
//! `dyn Layer`.
//!
//! Why: a call through `dyn Layer` is an indirect call (in wasm a `call_indirect`, with its
//! signature check) into a function the compiler cannot inline, and for a buffered 16-byte
//! `read`, `readinto` or `write` that cost as much as the work itself. Knowing a buffered
//! file as one, the façade runs its hot paths inline (`Buffered::read_fast` and its
//! siblings) after one check of which variant it holds. Every other call goes through
//! [`AnyLayer::as_dyn`] to the [`Layer`] trait, whose implementations stay the one
//! complete answer of each layer; text, raw and detached layers are boxed as before (a
//! variant for each would make every cold call a `match`, which cost more module size than
//! it saved time).

use super::buffered::Buffered;
use super::error::IoError;
use super::layer::Layer;

/// A buffered file, or any other layer; both boxed, so a `File` stays small to move.
pub(super) enum AnyLayer {
    Buffered(Box<Buffered>),
    Other(Box<dyn Layer>),
}

/// What `detach` gives: the layer below, or this layer back with the reason it stays.
pub(super) type Detach = Result<AnyLayer, (AnyLayer, IoError)>;

impl AnyLayer {
    /// Any layer but a buffered one, boxed.
    pub(super) fn boxed(layer: impl Layer + 'static) -> AnyLayer {
        AnyLayer::Other(Box::new(layer))
    }

    /// A buffered file, boxed.
    pub(super) fn buffered(buffered: Buffered) -> AnyLayer {
        AnyLayer::Buffered(Box::new(buffered))
    }

    /// The layer, for the calls that need not be direct.
    #[inline]
    pub(super) fn as_dyn(&self) -> &dyn Layer {
        match self {
            AnyLayer::Buffered(buffered) => &**buffered,
            AnyLayer::Other(layer) => &**layer,
        }
    }

    /// The layer, mutably, for the calls that need not be direct.
    #[inline]
    pub(super) fn as_dyn_mut(&mut self) -> &mut dyn Layer {
        match self {
            AnyLayer::Buffered(buffered) => &mut **buffered,
            AnyLayer::Other(layer) => &mut **layer,
        }
    }

    /// Flushes and hands over the layer below (see [`Layer::detach`]).
    pub(super) fn detach(self) -> Detach {
        match self {
            AnyLayer::Buffered(buffered) => buffered.detach(),
            AnyLayer::Other(layer) => layer.detach(),
        }
    }
}
