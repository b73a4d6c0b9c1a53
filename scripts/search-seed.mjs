/**
 * A support inbox of realistic size written straight into PostgreSQL with generate_series, for
 * measuring and testing the console search: visitors with names and emails, conversations, and
 * messages of 6 to 20 words drawn from a support vocabulary (common words often, product words
 * less, rare words seldom), alternately from the visitor and the agent, spread over the 90 days before yesterday.
 * Deterministic: the same sizes give the same rows.
 */

/** Words as often as they appear in support chats: every message takes some of each group. */
export const COMMON_WORDS = [
  'the',
  'my',
  'is',
  'a',
  'to',
  'and',
  'i',
  'you',
  'it',
  'for',
  'of',
  'on',
  'please',
  'thanks',
  'hello',
  'can',
  'not',
  'yet',
  'still',
  'help',
  'need',
  'when',
  'where',
  'with',
  'we',
  'your',
];
export const TOPIC_WORDS = [
  'order',
  'refund',
  'parcel',
  'delivery',
  'invoice',
  'password',
  'account',
  'shipping',
  'tracking',
  'payment',
  'card',
  'subscription',
  'cancel',
  'return',
  'size',
  'colour',
  'discount',
  'coupon',
  'warranty',
  'broken',
  'damaged',
  'late',
  'address',
  'login',
  'email',
  'reset',
  'upgrade',
  'plan',
  'billing',
  'receipt',
  'exchange',
  'stock',
  'checkout',
  'basket',
  'voucher',
  'courier',
  'customs',
  'label',
  'battery',
  'charger',
  'screen',
  'cable',
  'manual',
  'install',
  'commande',
  'livraison',
  'remboursement',
  'facture',
  'colis',
  'retour',
];
export const RARE_WORDS = [
  'chargeback',
  'firmware',
  'gdpr',
  'invoiceable',
  'backorder',
  'preorder',
  'wholesale',
  'reseller',
  'embargo',
  'dispute',
  'fraudulent',
  'duplicate',
  'overcharged',
  'prorated',
  'escalate',
  'supervisor',
  'complaint',
  'lawyer',
  'recall',
  'counterfeit',
];
export const FIRST_NAMES = [
  'Ada',
  'Bruno',
  'Chloe',
  'Dmitri',
  'Elena',
  'Farid',
  'Grace',
  'Hugo',
  'Ines',
  'Jonas',
  'Keiko',
  'Lucas',
  'Maya',
  'Nils',
  'Olivia',
  'Pablo',
  'Quentin',
  'Rosa',
  'Samir',
  'Tessa',
  'Umar',
  'Vera',
  'Wen',
  'Xavier',
  'Yara',
  'Zoe',
  'Amelie',
  'Bilal',
  'Camille',
  'Diego',
];
export const LAST_NAMES = [
  'Martin',
  'Bernard',
  'Dubois',
  'Lovelace',
  'Hopper',
  'Nakamura',
  'Okafor',
  'Schmidt',
  'Rossi',
  'Garcia',
  'Novak',
  'Kowalski',
  'Haddad',
  'Silva',
  'Jensen',
  'Moreau',
  'Laurent',
  'Fischer',
  'Costa',
  'Petrov',
  'Yilmaz',
  'Andersen',
  'Fontaine',
  'Mercier',
  'Brennan',
  'Takahashi',
  'Mbeki',
  'Horvat',
  'Lindqvist',
  'Ferreira',
  'Kapoor',
  'Doyle',
  'Vasquez',
];

/**
 * Searches an agent might type, over every kind of match: a frequent topic word, a rarer one, a
 * prefix being typed, two words, a visitor's name, an email fragment, a rare word, a word that
 * is nowhere.
 */
export const SEARCH_QUERIES = [
  'refund',
  'tracking',
  'deliv',
  'password reset',
  'damaged parcel',
  'lovelace',
  'martin',
  'grace hopper',
  'lucas.rossi',
  'chargeback',
  'firmware update',
  'remboursement',
  'invoice late',
  'nonexistentword',
];

function sqlArray(words) {
  return `ARRAY[${words.map((w) => `'${w.replace(/'/g, "''")}'`).join(',')}]::text[]`;
}

/**
 * The statements that fill an empty, migrated database's `visitors`, `conversations` and
 * `messages` for `siteId`. Ids are `seed-v-<n>`, `seed-c-<n>`, `seed-m-<n>`.
 */
export function seedStatements(siteId, size) {
  const site = siteId.replace(/'/g, "''");
  const n = size.conversations;
  const per = size.messagesPerConversation;
  // A deterministic pseudo-random integer in [0, m) from a seed expression.
  const pick = (seed, m) => `(abs(hashint4(${seed})) % ${String(m)})`;
  return [
    `CREATE TEMP TABLE seed_words AS SELECT
       ${sqlArray(COMMON_WORDS)} AS common, ${sqlArray(TOPIC_WORDS)} AS topic,
       ${sqlArray(RARE_WORDS)} AS rare, ${sqlArray(FIRST_NAMES)} AS first,
       ${sqlArray(LAST_NAMES)} AS last`,
    `INSERT INTO visitors (id, site_id, token_hash, name, email, created_at)
     SELECT 'seed-v-' || i, '${site}', md5('seed-token-' || i),
       first[1 + ${pick('i', FIRST_NAMES.length)}] || ' ' || last[1 + ${pick('i * 7 + 3', LAST_NAMES.length)}],
       CASE WHEN i % 4 = 0 THEN NULL ELSE
         lower(first[1 + ${pick('i', FIRST_NAMES.length)}]) || '.' ||
         lower(last[1 + ${pick('i * 7 + 3', LAST_NAMES.length)}]) || i || '@example.com' END,
       now() - interval '90 days' + (i * interval '89 days' / ${String(n)})
     FROM generate_series(1, ${String(n)}) i, seed_words`,
    `INSERT INTO conversations (id, site_id, visitor_id, status, last_seq, last_message_at,
       last_message_preview, created_at, updated_at)
     SELECT 'seed-c-' || i, '${site}', 'seed-v-' || i,
       (ARRAY['OPEN','RESOLVED','RESOLVED','PENDING'])[1 + i % 4]::conversation_status,
       ${String(per)},
       now() - interval '90 days' + (i * interval '89 days' / ${String(n)}) + ${String(per)} * interval '1 minute',
       'Seeded conversation ' || i,
       now() - interval '90 days' + (i * interval '89 days' / ${String(n)}),
       now()
     FROM generate_series(1, ${String(n)}) i`,
    `INSERT INTO messages (id, conversation_id, seq, author_kind, body, client_message_id, created_at)
     SELECT 'seed-m-' || m, 'seed-c-' || c, s,
       (CASE WHEN s % 2 = 1 THEN 'VISITOR' ELSE 'AGENT' END)::author_kind,
       (SELECT string_agg(
          CASE
            WHEN ${pick('m * 31 + k', 100)} < 55 THEN common[1 + ${pick('m * 17 + k', COMMON_WORDS.length)}]
            WHEN ${pick('m * 31 + k', 100)} < 99 THEN topic[1 + ${pick('m * 13 + k * 5', TOPIC_WORDS.length)}]
            ELSE rare[1 + ${pick('m + k * 11', RARE_WORDS.length)}]
          END, ' ')
        FROM generate_series(1, 6 + ${pick('m', 15)}) k),
       'seed-' || m,
       now() - interval '90 days' + (c * interval '89 days' / ${String(n)}) + s * interval '1 minute'
     FROM generate_series(1, ${String(n)}) c, generate_series(1, ${String(per)}) s,
       LATERAL (SELECT (c - 1) * ${String(per)} + s AS m) ids, seed_words`,
    'DROP TABLE seed_words',
    'ANALYZE visitors',
    'ANALYZE conversations',
    'ANALYZE messages',
  ];
}

/** Runs the statements on `client` (one transaction for the rows, then ANALYZE). */
export async function seedSearchData(client, siteId, size) {
  const statements = seedStatements(siteId, size);
  const analyze = statements.filter((s) => s.startsWith('ANALYZE'));
  await client.query('BEGIN');
  try {
    for (const statement of statements.filter((s) => !s.startsWith('ANALYZE'))) {
      await client.query(statement);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
  for (const statement of analyze) await client.query(statement);
}
