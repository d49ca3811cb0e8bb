//! Macros that log through a [`crate::logging::Logger`] with the calling function's name
//! (`funcName`) filled in and the message formatted only if the level is enabled:
//! `log_info!(logger, "read {} bytes", n)`.

/// The function a macro was called in, from the type name of an item declared there
/// (`crate::cells::b1::__here` gives `b1`; closures and async blocks are skipped).
#[doc(hidden)]
pub fn function_name(item_path: &'static str) -> &'static str {
    let path = item_path.strip_suffix("::__here").unwrap_or(item_path);
    path.rsplit("::").find(|segment| !segment.starts_with('{') && !segment.is_empty()).unwrap_or(path)
}

/// Logs at a level (`log_at!(logger, Level(25), "...", args)`), formatting the message
/// only if the logger is enabled for it.
#[macro_export]
macro_rules! log_at {
    ($logger:expr, $level:expr, $($arg:tt)+) => {{
        let logger: &$crate::logging::Logger = &$logger;
        let level: $crate::logging::Level = ::core::convert::Into::into($level);
        if logger.is_enabled_for(level) {
            fn __here() {}
            let func = $crate::logging::function_name(::core::any::type_name_of_val(&__here));
            let site = $crate::logging::CallSite {
                file: ::std::borrow::Cow::Borrowed(::core::file!()),
                line: ::core::line!(),
                func: ::core::option::Option::Some(::std::borrow::Cow::Borrowed(func)),
            };
            logger.log_at(level, site, ::std::format!($($arg)+));
        }
    }};
}

/// Logs at DEBUG: `log_debug!(logger, "x = {}", x)`.
#[macro_export]
macro_rules! log_debug {
    ($logger:expr, $($arg:tt)+) => { $crate::log_at!($logger, $crate::logging::DEBUG, $($arg)+) };
}

/// Logs at INFO: `log_info!(logger, "x = {}", x)`.
#[macro_export]
macro_rules! log_info {
    ($logger:expr, $($arg:tt)+) => { $crate::log_at!($logger, $crate::logging::INFO, $($arg)+) };
}

/// Logs at WARNING: `log_warning!(logger, "x = {}", x)`.
#[macro_export]
macro_rules! log_warning {
    ($logger:expr, $($arg:tt)+) => { $crate::log_at!($logger, $crate::logging::WARNING, $($arg)+) };
}

/// Logs at ERROR: `log_error!(logger, "x = {}", x)`.
#[macro_export]
macro_rules! log_error {
    ($logger:expr, $($arg:tt)+) => { $crate::log_at!($logger, $crate::logging::ERROR, $($arg)+) };
}

/// Logs at CRITICAL: `log_critical!(logger, "x = {}", x)`.
#[macro_export]
macro_rules! log_critical {
    ($logger:expr, $($arg:tt)+) => { $crate::log_at!($logger, $crate::logging::CRITICAL, $($arg)+) };
}
