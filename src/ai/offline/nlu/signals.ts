/**
 * Urgency and wants-a-human detectors: hand-written rules over clauses, with negation handling.
 * Rules rather than a trained model because no licensed training set has these labels; they are
 * measured on tests/fixtures/urgency-handoff.jsonl (written before the rules, see docs/AI.md).
 */

/** Lower-cased, typographic apostrophes folded, "didnt" style typos given their apostrophe back. */
function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/\b(didn|don|can|won|isn|wasn|haven|hasn|doesn)t\b/g, "$1't");
}

/** Sentences / clauses: a negation or a "no rush" only reaches as far as its own clause. */
function clauses(text: string): string[] {
  return text
    .split(/[.!?;\n]+|,\s*(?:but|and|so)\b|\bbut\b/)
    .map((c) => c.trim())
    .filter((c) => c !== '');
}

const any = (patterns: readonly RegExp[], s: string): boolean => patterns.some((p) => p.test(s));

// ---------------------------------------------------------------------------------------------
// Urgency

/** Fraud, account take-over, theft: urgent on their own. */
const SECURITY: readonly RegExp[] = [
  /\bfraud(ulent)?\b(?! (protection|prevention|detection|alerts? settings|department|team))/,
  /\bscam(med)?\b/,
  /\bhack(ed|er|ers|ing)?\b/,
  /\bcompromised\b/,
  /\bphishing\b/,
  /\bskimm(ed|er)\b/,
  /\bsecurity (breach|issue|incident)\b/,
  /\bbreach\b/,
  /\bidentity (theft|was stolen|stolen)\b/,
  /\bunauthori[sz]ed\b/,
  /\bstol(e|en)\b/,
  /\b(didn't|did not|never|not) (make|made|authori[sz]e|authori[sz]ed|do|did|order|ordered|recogni[sz]e)\b.*\b(charges?|transactions?|payments?|withdrawals?|purchases?|transfers?|it)\b/,
  /\b(someone|somebody|stranger|someone else)\b.{0,40}\b(us(ed|ing)|log(ged|ging)|access(ed|ing)?|chang(ed|ing)|hack(ed|ing)|took|taking|opened|emptied|draining|spen[dt]|spending|withdr[ae]w)\b/,
  /\b(in my name|by someone else|not me|wasn't me|taken over|take over|took over)\b/,
  /\b(strangers?|unknown|unrecogni[sz]ed|suspicious)\b.{0,30}\b(devices?|logins?|log-?ins|sign-?ins|charges?|transactions?|payments?|access|activity)\b/,
  /\b(logins?|sign-?ins|charges?|transactions?|payments?|withdrawals?|purchases?)\b.{0,40}\b(didn't|did not|never|don't recogni[sz]e)\b/,
  /\b(gave|shared|told|sent) (them |him |her |someone )?(my |the )?(pin|password|passcode|verification code|one-time code|security code|card details)\b/,
  /\b(freeze|block|lock|cancel|stop) (my|the|this) (card|account|payments?)\b.{0,20}\b(now|immediately|asap|please|before)\b|\bplease (freeze|block|lock) (my|the) (card|account)\b/,
  /\b(emptied|drained)\b/,
  /\bmoney (is )?(leaving|disappearing|gone)\b/,
];

/** Danger to people or property. */
const SAFETY: readonly RegExp[] = [
  /\b(smell(s|ing)? (of )?gas|gas leak|leaking gas)\b/,
  // Not bare "smoke" / "fire": "do you sell smoke detectors?" is a question, not an emergency.
  /\b(smoking|sparks|sparking|on fire|caught fire|burning|burnt|exploded|exploding|melted|melting)\b/,
  /\b(electrocut\w*|electric shock|shocked me)\b/,
  /\b(flood(ing|ed)|leak(ing)? water|water (is )?leaking)\b/,
  /\b(injur(y|ed|ies)|hurt|bleeding|swallowed|chok(e|ing)|poison\w*|allergic reaction|unconscious)\b/,
  /\b(almost|nearly) (got )?(hit|killed|died|crashed)\b/,
  /\bbrakes?\b.{0,30}\b(fail(ed|ing)?|not working|stopped)\b/,
  /\b(stuck|trapped) with (people|someone|kids|children)\b/,
  /\b(shattered|glass everywhere|broke down on the (highway|motorway|road)|stranded on)\b/,
  /\b(kid|child|baby|toddler|son|daughter)\b.{0,20}\b(alone|locked in|inside|trapped)\b/,
  /\b(wheelchair|ventilator|dialysis|oxygen concentrator|pacemaker|hearing aid)\b/,
  /\b(no heat|no heating|freezing|no power|no electricity|cut off)\b.{0,60}\b(elderly|baby|infant|child|kids|pregnant|disabled|medical)\b/,
  /\bmedical device\b/,
];

/** High-stakes situations that are urgent when something is wrong. */
const STAKES: readonly RegExp[] = [
  /\b(ambulance|hospital|911|emergency room)\b/,
  /\b(medication|medicine|insulin|prescription|oxygen|inhaler|epipen)\b/,
  /\b(court|lawsuit|summons|subpoena|eviction|evicted|legal deadline|lawyer|attorney)\b/,
  /\b(passport|visa)\b/,
];

/** Service outages and business impact: urgent on their own. */
const OUTAGE: readonly RegExp[] = [
  /\b(is|are|went|was|were|has been|have been|seems to be|seem to be|completely|totally|all)\s+(down|offline|dead)\b/,
  /\boutage\b/,
  /\bnothing (loads|works|is working)\b/,
  /\b(broken|down|not working) for (all|every|everyone|everybody)\b/,
  /\b(losing|lose|lost) (sales|money|customers|business|thousands|revenue)\b/,
  /\bcan't (take|accept|process|receive) (payments?|orders?|calls?|bookings?)\b/,
  /\bcan't sell\b/,
  /\b(customers|employees|patients|staff|clients) (are )?(waiting|stuck|can't)\b/,
  /\bline of customers\b/,
  /\b(nobody|no one|none of (us|our \w+)) can (pay|work|log in|login|access|buy|order|call)\b/,
  /\b(every|all (of )?(our|the)) (customers?|users?|clients?|orders?|emails?|calls?)\b.{0,40}\b(errors?|fail\w*|bounc\w*|broken|down|can't)\b/,
  /\b(errors?|fail\w*|bounc\w*|crash\w*)\b.{0,40}\b(every|all) (customers?|users?|clients?|orders?|emails?)\b/,
  /\b(emails?|calls?|payments?|orders?) (all )?(bounce|bouncing|fail|failing)\b/,
  /\b(stranded|stuck at (the )?(airport|gate|station|border))\b/,
  /\b(payroll|overdrawn|can't pay (for )?(rent|bills|groceries|food|my rent))\b/,
];

/** Time pressure; urgent only together with a problem (so "next day delivery asap?" is not). */
const TIME_PRESSURE: readonly RegExp[] = [
  /\b(asap|a\.s\.a\.p|urgent(ly)?|emergency|critical|immediately|right now|right away|as we speak|straight away)\b/,
  /\b(in|within) (an|one|two|three|a few|\d+) (minutes?|mins?|hours?|hrs?)\b/,
  /\b(today|tonight|by tomorrow|tomorrow morning|before midnight|this morning|closes soon|closes today|before the \w+ closes?)\b/,
  /\b(deadline|due) (is )?(today|tonight|tomorrow|in)\b/,
  /\b(leaves?|starts?|departs?|closes?|boards?|expires?) in\b/,
  /\b(need|want) (it|this|them|the \w+|my \w+)?\s*(\w+ )?(now|today|tonight)\b/,
  /\bhelp!/,
];

const PROBLEM: readonly RegExp[] = [
  /\b(can't|cannot|unable|couldn't|won't|doesn't|didn't|isn't|haven't|hasn't|not)\b/,
  /\b(locked out|blocked|suspended|frozen|declined|broken|failed|fail|missing|lost|wrong|charged|disappeared|cancell?ed|stuck|leaking|stopped|crashed|error|problem|issue|never (arrived|came|processed|sent))\b/,
  /\b(need (this |it )?(fixed|sorted|resolved)|help)\b/,
  /\b(run out|ran out|running out|no \w+ left|vanished|gone|died|dead|bounces?|bounced)\b/,
];

/** "no rush", "not urgent": the customer said it can wait. Cancels time pressure only. */
const CALM: readonly RegExp[] = [
  /\b(no rush|no hurry|not urgent|not an emergency|not a big deal|no big deal|whenever|when you get a chance|take your time|not in a hurry)\b/,
];

/** The problem is over ("was resolved", "thanks for fixing"): a past incident, not a current one. */
const RESOLVED: readonly RegExp[] = [
  /\b(was|were|got|been|is now|has been) (resolved|fixed|sorted|solved|restored)\b/,
  /\bthanks? (you )?for (fixing|resolving|sorting|restoring)\b/,
  /\b(works|working) (fine|again|now)\b/,
];

/** Product names in Title Case ("Urgent Care Kit", "Emergency Blanket") are not a cry for help. */
const PRODUCT_NAME = /\b(Urgent|Emergency|Critical|Rush)\s+[A-Z][a-z]+/g;

/** Customers writing in Spanish, French or German: the few words that matter most. */
const FOREIGN_URGENT =
  /\b(urgente|urgencia|fraude|hackead[ao]|robad[ao]|dringend|betrug|gehackt|gestohlen|notfall|piraté|volée?|d'urgence)\b/;

export function detectUrgent(text: string): boolean {
  const raw = text.replace(PRODUCT_NAME, ' ');
  const norm = normalise(raw);
  if (FOREIGN_URGENT.test(norm)) return true;
  const parts = clauses(norm);
  const calm = any(CALM, norm);
  const resolved = any(RESOLVED, norm);
  for (const clause of parts) {
    if (!resolved && (any(SECURITY, clause) || any(SAFETY, clause) || any(OUTAGE, clause))) {
      return true;
    }
  }
  if (calm || resolved) return false;
  // Time pressure and stakes may sit in a different clause than the problem they qualify.
  const pressing = any(TIME_PRESSURE, norm) || any(STAKES, norm);
  return pressing && any(PROBLEM, norm);
}

// ---------------------------------------------------------------------------------------------
// Wants a human

const ASK =
  '(talk|speak|chat|connect|transfer|escalate|reach|contact|discuss|get|give|need|want|have|prefer|put me through|put me in touch|hand me over|hand me off|pass me|send me|call)';
const WHO =
  '(human|humans|human being|person|people|agent|rep|representative|operator|supervisor|manager|advisor|adviser|specialist|staff|employee|somebody|someone|technician|team|department|boss|colleague|engineer|customer service|customer support|customer care|live chat|member of (your|the) team)';

const HUMAN: readonly RegExp[] = [
  // "can I talk to a real person", "connect me with a representative", "get a supervisor".
  new RegExp(`\\b${ASK}\\b(\\W+[\\w']+){0,6}?\\W+${WHO}(?![\\w-])`),
  // "a real person", "live agent", "actual human".
  /\b(real|actual|live|human) (person|people|human|agent|rep|representative|being|someone|operator)\b/,
  // "have a specialist contact me", "can someone from support call me back".
  /\b(someone|somebody|specialist|agent|representative|person|member of (your|the) team|manager|technician)\b.{0,40}\b(call|contact|phone|ring|email|reach out to) me\b/,
  /\bcall me back\b/,
  // "can an agent review my case?", "could a person look at this?"
  /\b(can|could|would|will) (an?|the|your|some) ?(human|person|agent|rep|representative|manager|supervisor|employee|staff member|real person)\b.{0,10}\b(review|look|check|handle|help|see|take|call|contact|assist)\b/,
  // "stop the bot", "not a chatbot", "don't want to talk to a machine".
  /\bstop (the|this) (bot|chatbot|robot|machine|automated)/,
  /\bnot (a|the|this|some|an) (bot|chatbot|robot|machine|ai|computer|automated)/,
  /\b(don't|do not) want (to (talk|speak|chat) (to|with) )?(a |the |this |some )?(bot|chatbot|robot|machine|ai|computer)\b/,
  /\b(instead of|rather than) (the|a|this) (bot|chatbot|assistant|robot|machine|ai)\b/,
  // Spanish, French, German.
  /\b(hablar con|con) (una persona|un agente|un humano|un representante|alguien)\b/,
  /\b(parler (à|a)|avec) (un|une) (humain|agent|conseiller|conseillère|personne)\b/,
  /\b(mit )?(einem|einer) (mitarbeiter\w*|menschen|berater\w*|person)\b.{0,20}\b(sprechen|reden)\b/,
];

/** The whole message is the request: "agent", "human please", "representative!". */
const BARE =
  /^\W*(agent|human|representative|rep|operator|person|real person|live agent|supervisor|manager)(\s+(please|pls|now))?\W*$/;

/** "I don't need a human", "no need for a person". */
const DECLINE =
  /\b(don't|do not|no|never|doesn't|without) (need|want|have to|needing|wanting)?\s*(to (talk|speak|chat) (to|with) )?(a |an |any |the )?(for (a |an )?)?(human|person|agent|rep|representative|anyone|anybody|someone|people|staff)\b|\bno need (for|to)\b/;

export function detectWantsHuman(text: string): boolean {
  const norm = normalise(text);
  if (BARE.test(norm)) return true;
  return clauses(norm).some((clause) => !DECLINE.test(clause) && any(HUMAN, clause));
}
