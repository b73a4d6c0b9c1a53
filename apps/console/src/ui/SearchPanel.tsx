import { SEARCH_QUERY_MAX, type SearchResponse, type SearchResult } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { errorMessage } from '../api/http';
import { STATUS_LABELS } from '../lib/inbox';
import { routeHref } from '../lib/route';
import { visitorLabel } from '../lib/visitor';
import { useApi } from './context';

/** The search box's id: the `/` and Ctrl+K shortcuts focus it. */
export const SEARCH_INPUT_ID = 'conversation-search';
/** Wait after the last keystroke before searching. */
const DEBOUNCE_MS = 200;

type SearchState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'loading' }
  | { readonly kind: 'done'; readonly response: SearchResponse; readonly loadingMore: boolean }
  | { readonly kind: 'error'; readonly message: string };

/** The search box; Escape clears it (and the inbox list comes back). */
export function SearchBox({ value, onChange }: { value: string; onChange: (q: string) => void }) {
  return (
    <div className="search-box" role="search">
      <label htmlFor={SEARCH_INPUT_ID} className="visually-hidden">
        Search conversations
      </label>
      <input
        id={SEARCH_INPUT_ID}
        type="search"
        placeholder="Search name, email or message  ( / )"
        autoComplete="off"
        maxLength={SEARCH_QUERY_MAX}
        value={value}
        onChange={(event) => {
          onChange(event.target.value);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            onChange('');
            event.currentTarget.blur();
          }
        }}
      />
    </div>
  );
}

function ResultItem({ result, active }: { result: SearchResult; active: boolean }) {
  const { conversation, snippet } = result;
  return (
    <li className={`inbox-item search-result${active ? ' active' : ''}`}>
      <a
        href={routeHref({ page: 'conversation', conversationId: conversation.id })}
        aria-current={active ? 'page' : undefined}
      >
        <span className="inbox-item-top">
          <span className="inbox-name" dir="auto">
            {visitorLabel(conversation.visitor)}
          </span>
          <span className={`status-badge status-${conversation.status.toLowerCase()}`}>
            {STATUS_LABELS[conversation.status]}
          </span>
        </span>
        <span className="search-snippet" dir="auto">
          {snippet.internal ? <span className="search-note">Internal note: </span> : null}
          {snippet.segments.map((segment, i) =>
            segment.match ? (
              <mark key={i}>{segment.text}</mark>
            ) : (
              <span key={i}>{segment.text}</span>
            ),
          )}
        </span>
        {result.messageHits > 1 ? (
          <span className="search-hits">{result.messageHits} matching messages</span>
        ) : null}
      </a>
    </li>
  );
}

/** Search results for `query` (already non-empty), newest request wins. */
export function SearchResults({
  query,
  activeConversationId,
}: {
  query: string;
  activeConversationId: string | null;
}) {
  const api = useApi();
  const [state, setState] = useState<SearchState>({ kind: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    setState({ kind: 'loading' });
    const timer = setTimeout(() => {
      api.search(query, {}, controller.signal).then(
        (response) => {
          setState({ kind: 'done', response, loadingMore: false });
        },
        (error: unknown) => {
          if (controller.signal.aborted) return;
          setState({ kind: 'error', message: errorMessage(error) });
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [api, query]);

  async function loadMore(response: SearchResponse) {
    setState({ kind: 'done', response, loadingMore: true });
    try {
      const next = await api.search(query, { offset: response.results.length });
      setState({
        kind: 'done',
        response: { ...next, results: [...response.results, ...next.results] },
        loadingMore: false,
      });
    } catch (error) {
      setState({ kind: 'error', message: errorMessage(error) });
    }
  }

  if (state.kind === 'idle' || state.kind === 'loading') {
    return (
      <p className="inbox-empty" aria-busy="true">
        Searching…
      </p>
    );
  }
  if (state.kind === 'error') {
    return (
      <div className="inline-error" role="alert">
        <span>{state.message}</span>
      </div>
    );
  }
  const { response } = state;
  return (
    <>
      <p className="search-summary" role="status">
        {response.total === 0
          ? 'No conversations match.'
          : `${String(response.total)} ${response.total === 1 ? 'conversation' : 'conversations'} found`}
      </p>
      {response.results.length > 0 ? (
        <ul className="inbox-list" aria-label="Search results">
          {response.results.map((result) => (
            <ResultItem
              key={result.conversation.id}
              result={result}
              active={result.conversation.id === activeConversationId}
            />
          ))}
          {response.results.length < response.total ? (
            <li className="search-more">
              <button
                type="button"
                className="button subtle small"
                disabled={state.loadingMore}
                onClick={() => void loadMore(response)}
              >
                {state.loadingMore ? 'Loading…' : 'More results'}
              </button>
            </li>
          ) : null}
        </ul>
      ) : null}
    </>
  );
}
