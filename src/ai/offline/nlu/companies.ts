/** Company detection: whole words, case-insensitive, over a shipped list plus the agent's own company. */

/**
 * Well-known consumer brands customers name in support chats. Brands that are mostly ordinary
 * words in a support chat ("Square", "Visa", "Subway", "Meta", bare "United") are left out: a
 * customer's "visa" is a document far more often than the card network.
 */
export const KNOWN_COMPANIES: readonly string[] = [
  'Amazon',
  'Apple',
  'Google',
  'Microsoft',
  'Netflix',
  'Spotify',
  'Uber',
  'Uber Eats',
  'Lyft',
  'Airbnb',
  'DoorDash',
  'Grubhub',
  'Instacart',
  'Walmart',
  'Target',
  'Costco',
  'Best Buy',
  'eBay',
  'Etsy',
  'Shopify',
  'PayPal',
  'Venmo',
  'Stripe',
  'Mastercard',
  'American Express',
  'Amex',
  'Chase',
  'Bank of America',
  'Wells Fargo',
  'Citibank',
  'Citi',
  'Capital One',
  'Revolut',
  'Monzo',
  'HSBC',
  'Barclays',
  'Delta',
  'United Airlines',
  'American Airlines',
  'Southwest',
  'JetBlue',
  'Alaska Airlines',
  'Spirit Airlines',
  'Virgin America',
  'US Airways',
  'British Airways',
  'Lufthansa',
  'Air France',
  'Ryanair',
  'easyJet',
  'Emirates',
  'Expedia',
  'Booking.com',
  'Hilton',
  'Marriott',
  'FedEx',
  'UPS',
  'USPS',
  'DHL',
  'AT&T',
  'Verizon',
  'T-Mobile',
  'Comcast',
  'Xfinity',
  'Vodafone',
  'Samsung',
  'Sony',
  'Nintendo',
  'PlayStation',
  'Xbox',
  'Dell',
  'HP',
  'Lenovo',
  'Tesla',
  'Ford',
  'Toyota',
  'Nike',
  'Adidas',
  'IKEA',
  'Home Depot',
  "Lowe's",
  'Starbucks',
  "McDonald's",
  'Pizza Hut',
  "Domino's",
  'Disney',
  'Disney+',
  'Hulu',
  'HBO',
  'YouTube',
  'Facebook',
  'Instagram',
  'WhatsApp',
  'Twitter',
  'TikTok',
  'Snapchat',
  'LinkedIn',
  'Zoom',
  'Slack',
  'Dropbox',
  'Adobe',
  'Salesforce',
  'Oracle',
  'IBM',
  'Intel',
  'Nvidia',
  'AliExpress',
  'Alibaba',
  'Temu',
  'Shein',
  'Zara',
  'H&M',
  'Sephora',
  'Wayfair',
  'Chewy',
  'Peloton',
  'Fitbit',
  'Garmin',
  'GoPro',
];

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whole-word pattern: no letter, digit or connecting symbol on either side, so "Uber" does not
 * match in "exuberant" and "Apple" not in "applesauce".
 */
function wholeWord(name: string): RegExp {
  const body = escapeRegExp(name.trim()).replace(/\s+/g, '\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}_&@])${body}(?![\\p{L}\\p{N}_&]|[+'’]\\p{L})`, 'iu');
}

const knownPatterns: { name: string; re: RegExp }[] = KNOWN_COMPANIES.map((name) => ({
  name,
  re: wholeWord(name),
}));

/**
 * Companies named in `text`, in order of first appearance, the agent's own company first when
 * it is named. A name contained in a longer detected one ("Uber" in "Uber Eats") is dropped.
 */
export function detectCompanies(text: string, ownCompany?: string): string[] {
  const found: { name: string; index: number; end: number }[] = [];
  const candidates = [...knownPatterns];
  const own = ownCompany?.trim();
  if (own) candidates.unshift({ name: own, re: wholeWord(own) });
  for (const { name, re } of candidates) {
    const m = re.exec(text);
    if (m) found.push({ name, index: m.index, end: m.index + m[0].length });
  }
  const kept = found.filter(
    (f) =>
      !found.some(
        (g) => g !== f && g.index <= f.index && g.end >= f.end && g.end - g.index > f.end - f.index,
      ),
  );
  const names: string[] = [];
  const seen = new Set<string>();
  const push = (name: string): void => {
    const key = name.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      names.push(name);
    }
  };
  if (own && kept.some((f) => f.name === own)) push(own);
  kept.sort((a, b) => a.index - b.index).forEach((f) => push(f.name));
  return names;
}
