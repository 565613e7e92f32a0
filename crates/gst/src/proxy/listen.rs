//! The proxy's listen address: `rtsp://HOST:PORT/PATH`.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// The port `sladd proxy` serves on when the URL names none.
pub const DEFAULT_PORT: u16 = 8554;

/// Where the proxy serves the masked stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listen {
    /// The address to bind: an IP address or a host name (`127.0.0.1`,
    /// `::1`, `0.0.0.0`).
    pub host: String,
    /// The TCP port; 0 picks a free one (see `Proxy::url`).
    pub port: u16,
    /// The mount path, starting with `/`.
    pub path: String,
}

impl Listen {
    /// Loopback on the default port, at `/PATH`.
    #[must_use]
    pub fn loopback(path: &str) -> Self {
        Self {
            host: "127.0.0.1".to_owned(),
            port: DEFAULT_PORT,
            path: format!("/{}", path.trim_start_matches('/')),
        }
    }

    /// Whether the address is a loopback one (only this machine can
    /// connect).
    #[must_use]
    pub fn is_loopback(&self) -> bool {
        match self.host.parse::<std::net::IpAddr>() {
            Ok(ip) => ip.is_loopback(),
            Err(_) => self.host.eq_ignore_ascii_case("localhost"),
        }
    }

    /// The URL clients open, with `port` in place of the configured one.
    #[must_use]
    pub fn url_with_port(&self, port: u16) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        format!("rtsp://{host}:{port}{}", self.path)
    }
}

impl fmt::Display for Listen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url_with_port(self.port))
    }
}

impl FromStr for Listen {
    type Err = Error;

    /// Parses `rtsp://HOST[:PORT]/PATH`; an IPv6 host is written in
    /// brackets (`rtsp://[::1]:8554/cam`).
    fn from_str(url: &str) -> Result<Self, Error> {
        let bad = |reason: &str| Error::Listen {
            url: url.to_owned(),
            reason: reason.to_owned(),
        };
        let rest = url
            .strip_prefix("rtsp://")
            .ok_or_else(|| bad("it must start with rtsp://"))?;
        let (authority, path) = match rest.find('/') {
            Some(slash) => rest.split_at(slash),
            None => (rest, ""),
        };
        if path.len() < 2 || path.contains(['?', '#', ' ']) {
            return Err(bad(
                "it needs a path such as /kasse-1 (no query, no spaces)",
            ));
        }
        let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
            let (host, after) = bracketed
                .split_once(']')
                .ok_or_else(|| bad("an IPv6 address needs its closing ]"))?;
            (host, after.strip_prefix(':'))
        } else {
            match authority.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            }
        };
        if host.is_empty() {
            return Err(bad(
                "it names no host (use 127.0.0.1 for this machine only)",
            ));
        }
        let port = match port {
            None => DEFAULT_PORT,
            Some(port) => port
                .parse::<u16>()
                .map_err(|_| bad("the port must be a number from 0 to 65535"))?,
        };
        Ok(Self {
            host: host.to_owned(),
            port,
            path: path.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hosts_ports_and_paths() {
        let l: Listen = "rtsp://127.0.0.1:8555/kasse-1".parse().unwrap();
        assert_eq!(
            (l.host.as_str(), l.port, l.path.as_str()),
            ("127.0.0.1", 8555, "/kasse-1")
        );
        assert!(l.is_loopback());
        let l: Listen = "rtsp://[::1]/a/b".parse().unwrap();
        assert_eq!(
            (l.host.as_str(), l.port, l.path.as_str()),
            ("::1", DEFAULT_PORT, "/a/b")
        );
        assert_eq!(l.to_string(), "rtsp://[::1]:8554/a/b");
        let l: Listen = "rtsp://0.0.0.0:0/cam".parse().unwrap();
        assert!(!l.is_loopback());
        assert_eq!(
            Listen::loopback("kasse-1").to_string(),
            "rtsp://127.0.0.1:8554/kasse-1"
        );
    }

    #[test]
    fn refuses_what_is_not_an_rtsp_url() {
        for (url, reason) in [
            ("http://127.0.0.1/cam", "rtsp://"),
            ("rtsp://127.0.0.1:8554", "path"),
            ("rtsp://127.0.0.1:8554/", "path"),
            ("rtsp://:8554/cam", "no host"),
            ("rtsp://127.0.0.1:99999/cam", "port"),
            ("rtsp://[::1:8554/cam", "closing ]"),
        ] {
            let err = url.parse::<Listen>().unwrap_err().to_string();
            assert!(err.contains(reason), "{url}: {err}");
        }
    }
}
