import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';

export type HashToken = { kind: 'missing' } | { kind: 'malformed' } | { kind: 'token'; token: string };

/** 256-bit tokens in base64url, as the server issues them (setup links and password links). */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Links carry their token in the fragment (`…#token=…`): the fragment is never sent to the server,
 * so the token stays out of access logs and Referer headers.
 */
export function readHashToken(hash: string): HashToken {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  if (token === null || token === '') return { kind: 'missing' };
  return TOKEN.test(token) ? { kind: 'token', token } : { kind: 'malformed' };
}

/**
 * The token of the link this page was opened with. It is kept in state and removed from the address
 * bar at once; a new link pasted while the page is open (same-document navigation) replaces it and
 * calls `onNewToken`.
 */
export function useHashToken(onNewToken: () => void = () => undefined): HashToken {
  const location = useLocation();
  const navigate = useNavigate();
  const [hashToken, setHashToken] = useState(() => readHashToken(location.hash));
  const [lastHash, setLastHash] = useState(location.hash);
  if (location.hash !== lastHash) {
    setLastHash(location.hash);
    if (location.hash !== '') {
      setHashToken(readHashToken(location.hash));
      onNewToken();
    }
  }

  useEffect(() => {
    if (location.hash === '') return;
    // A replace navigation (history.replaceState) drops the token from the address bar and from
    // this history entry, and keeps the router's idea of the location in step.
    void navigate(
      { pathname: location.pathname, search: location.search },
      { replace: true, state: location.state as unknown },
    );
  }, [location, navigate]);

  return hashToken;
}
