/**
 * Urgency and wants-a-human detectors. Urgency: hand-written rules over clauses (with negation,
 * "no rush", hypothetical and past-incident handling) OR a small learned model
 * (models/urgency.json, scripts/nlu/train.py) that catches fraud / lost-card phrasings the rules
 * do not list. wantsHuman: rules only. Measured on the sets of docs/AI.md.
 */
import { loadModel } from './linear-model';

/** Chat spellings folded to the words the rules use ("acct", "pls", "cant", "im"). */
const SPELLINGS: readonly [RegExp, string][] = [
  [/\b(acct|accnt|acount|accout)\b/g, 'account'],
  [/\b(pwd|passwrd|pasword)\b/g, 'password'],
  [/\b(pls|plz|plse)\b/g, 'please'],
  [/\b(sum1|some1)\b/g, 'someone'],
  [/\bim\b/g, "i'm"],
  [/\b(u)\b/g, 'you'],
  [/\bur\b/g, 'your'],
  [/\b(rn)\b/g, 'right now'],
  [/\bn\b/g, 'and'],
];

/** Lower-cased, typographic apostrophes folded, "didnt" style typos given their apostrophe back. */
function normalise(text: string): string {
  let s = text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/\b(didn|don|can|won|isn|wasn|weren|aren|haven|hasn|doesn|couldn|wouldn)t\b/g, "$1't");
  for (const [re, to] of SPELLINGS) s = s.replace(re, to);
  return s;
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

/** Someone else, as the subject of what happened to the account or the money. */
const OTHER_PARTY =
  "(someone|somebody|some one|a stranger|strangers|a hacker|hackers|the hacker|scammers?|the scammer|fraudsters?|a thief|thieves|the thief|they|a person i don't know|people i don't know)";
/** What was taken over or used. */
const ASSET =
  '(account|email|e-mail|phone|sim|number|card|cards|wallet|app|profile|login|identity|savings|checking|balance|money|funds|details|pin|password|bank)';

/** Fraud, account take-over, theft, scams: urgent on their own. */
const SECURITY: readonly RegExp[] = [
  /\bfraud(ulent|sters?)?\b(?! (protection|prevention|detection|alerts?|policy|policies|insurance|feature|settings?|department|team|add-?on|cover|training|awareness))/,
  /\bscam(med|mer|mers)?\b/,
  /\bhack(ed|er|ers|ing)?\b/,
  /\bhijack(ed)?\b/,
  /\bcompromised\b/,
  /\bphish(ing|ed)\b/,
  /\bskimm(ed|er)\b/,
  /\bransomware\b|\bmalware\b/,
  /\bsecurity (breach|issue|incident)\b/,
  /\bbreach\b/,
  /\bidentity (theft|was stolen|stolen|fraud)\b/,
  /\bunauthori[sz]ed\b/,
  // Stolen money, cards, phones, identity: urgent; a stolen parcel is a delivery problem.
  /\b(card|cards|wallet|purse|handbag|bag|phone|identity|account|details|money|cash|passport|id|password|pin|credentials|data|sim|laptop|car|cheque|checkbook|keys|savings|funds)\b.{0,30}\bstol(e|en)\b|\bstol(e|en)\b.{0,30}\b(card|cards|wallet|purse|handbag|bag|phone|identity|account|details|money|cash|passport|id|password|pin|credentials|data|sim|laptop|car|cheque|checkbook|keys|savings|funds)\b/,
  /\bimpersonat\w*|\bpretending to be\b/,
  /\b(didn't|did not|never|not|haven't|have not)\b.{0,10}\b(make|made|authori[sz]e|authori[sz]ed|do|did|done|order|ordered|recogni[sz]e|buy|bought|approve|approved|request|requested|send|sent|withdraw|withdrew|spend|spent)\b.*\b(charges?|transactions?|payments?|withdrawals?|purchases?|transfers?|orders?|debits?|it|them|that|this)\b/,
  new RegExp(
    `\\b${OTHER_PARTY}\\b.{0,40}\\b(us(ed|es|ing)|log(s|ged|ging)|access(ed|ing)?|chang(ed|es|ing)|hack(ed|ing)|took|taking|taken|opened|emptied|empty(ing)?|drain(ed|ing)|spen[dt]|spending|withdr[ae]w\\w*|ordered|ordering|bought|buying|purchas\\w+|sent|sending|transferr?\\w*|moved|moving|stole|cloned|copied|ported|swapped|reset(ting)?|posting|messaging|applied|signed up|charg(ed|ing)|booked|got into|broke into|getting into|get into|trying to (log|get|sign|access|use|take|withdraw|buy)|tried to (log|get|sign|access|use|take|withdraw|buy)|(is|are|was|'s) (in|into|inside|using)|has (access|got access|my)|knows my|locked me out)\\b`,
  ),
  new RegExp(
    `\\b${OTHER_PARTY}\\b.{0,20}\\b(in|into|inside|access to|control of) (my|our) ${ASSET}\\b`,
  ),
  /\b(in my name|by someone else|not me|wasn't me|wasn't us|not us|not mine|isn't mine|aren't mine|taken over|take over|took over|takeover|without my (permission|consent|knowledge|authori[sz]ation))\b/,
  /\b(strangers?|unknown|unrecogni[sz]ed|suspicious|strange|weird|foreign)\b.{0,30}\b(devices?|logins?|log-?ins|sign-?ins|charges?|transactions?|payments?|purchases?|withdrawals?|transfers?|access|activity|debits?|people)\b/,
  /\b(logins?|log-?ins|sign-?ins|charges?|transactions?|payments?|withdrawals?|purchases?|transfers?|debits?)\b.{0,40}\b((i|we) (didn't|did not|never|have never) (make|made|do|did|authori[sz]e|authori[sz]ed|order|ordered|request|requested|approve|approved|initiate|recogni[sz]e|sign(ed)? up|subscribe|subscribed|agree|agreed|ask|asked)|don't recogni[sz]e|do not recogni[sz]e|can't explain|have no idea)\b/,
  /\b(charges?|transactions?|payments?|withdrawals?|purchases?)\b.{0,50}\b(another|other|different|foreign) (state|country|city|continent)\b/,
  /\b(never|haven't|have not) (been to|been in|heard of|shopped at|visited|used)\b/,
  /\b(to|by|from) (someone|somebody|people|a person|an account|a company|a merchant|a name|a shop|a store|a website) (i|we) (don't|do not|didn't|did not|have never) (know|recogni[sz]e|heard of|seen)\b/,
  /\b(gave|shared|told|sent|typed|entered|gave away|handed over) (them |him |her |someone |a scammer |the caller )?(my |the |our )?(pin|password|passcode|verification code|one-time code|otp|security code|card details|card number|login details|bank details|credentials)\b/,
  /\b(pin|password|passcode|code|otp|card details|card number|login details|bank details)\b.{0,30}\b(and )?i (gave|shared|told|sent|typed|entered|read out)\b/,
  /\b(fell for|clicked (on )?(a|the|an|some) (link|email|text|message)|fake (website|site|call|email|text|bank|support))\b/,
  /\b(freeze|block|lock|stop|suspend|disable) (my|the|this|our) (card|cards|account|payments?|transfer|wire)\b.{0,30}\b(now|immediately|asap|please|before|right away|straight away|quickly|urgently)\b|\bplease (freeze|block|lock|suspend|disable) (my|the|our) (card|account)\b/,
  /\b(emptied|drained|cleaned out|wiped out)\b/,
  /\b(money|funds|cash|balance|savings)\b.{0,20}\b(is |are |keeps |keep )?(leaving|disappearing|vanishing|going missing|gone|draining|being taken|being withdrawn|being sent)\b/,
  /\bkeep (getting|receiving)\b.{0,30}\b(codes?|otps?|verification|2fa|log-?in (attempts?|alerts?|requests?)|password reset)/,
  /\b(log-?in|sign-?in|access) (attempts?|alerts?)\b.{0,30}\b(not me|didn't|did not|never|unknown|strange|from)\b/,
  /\b(new|unknown|unrecogni[sz]ed|strange|another|different) (device|location|phone|computer|ip|browser)\b.{0,40}\b(log|sign|access|connect)/,
  /\blog(ged|ging)? (in|into \w+) from (russia|china|nigeria|another|a different|a new|a strange|an unknown|somewhere)\b/,
  /\bsim (swap|swapped|was swapped)|\b(number|sim)\b.{0,20}\b(was|got|has been|were) (ported|transferred|moved|swapped|hijacked)\b|\bported (out|my number)\b/,
  /\b(atm|cash machine|machine)\b.{0,30}\b(ate|eaten|swallowed|kept|took|retained|didn't (give|return))\b.{0,15}\b(card|it)\b|\b(card)\b.{0,30}\b(swallowed|eaten|retained) by\b/,
  /\b(lost|misplaced|can't find|left) (my|our) (wallet|purse|credit card|debit card|bank card|card|cards|phone|passport|handbag)\b/,
  /\b(email|e-mail|phone number|number|password|pin|address|payout|bank details|recovery \w+|2fa|login)\b.{0,30}\b(was|were|has been|have been|got|been|is being) (changed|reset|updated|removed|replaced|switched)\b.{0,60}\b(not me|didn't|did not|never|can't|cannot|someone|somebody|hacker|wasn't|no longer|without)\b/,
  /\b(didn't|did not|never) (change|reset|request|ask for|authori[sz]e)\b.{0,40}\b(password|email|pin|number|details|reset|code)\b/,
];

/** Danger to people or property. */
const SAFETY: readonly RegExp[] = [
  /\b(smell(s|ing|ed)? (of |like )?(gas|smoke|burning)|gas leak|leaking gas|gas (is )?leaking|burning smell)\b/,
  /\bgas\b.{0,30}\bleak/,
  // Not bare "smoke" / "fire": "do you sell smoke detectors?" is a question, not an emergency.
  /\b(smoking|sparks|sparking|sparked|on fire|caught fire|catch fire|catching fire|burning|burnt|burned|exploded|exploding|explosion|melted|melting|flames?|scorched)\b/,
  /\bsmoke (is )?(coming|pouring|everywhere|billowing)|\bfull of smoke\b/,
  /\b(smoke|fire|carbon monoxide|co|gas) (alarms?|detectors?)\b.{0,20}\b(going off|went off|goes off|go off|beeping|sounding|triggered|keeps)\b/,
  /\bcarbon monoxide\b(?! (detector|alarm)s?\b(?! (is |are |keeps? |has been )?(going off|went off|beeping)))/,
  /\b(electrocut\w*|electric shock|shocked me|got shocked|live wires?|exposed wires?|bare wires?)\b/,
  /\b(power|electric(al)?) (line|lines|cable|cables|pole) (is |are )?(down|fallen|sparking|hanging|on the)/,
  /\b(flood(ing|ed)|leak(ing)? water|water (is )?leaking)\b/,
  /\b(water|sewage)\b.{0,30}\b(pouring|gushing|spraying|spewing|everywhere|coming (in|out|through|up)|through the (ceiling|walls?|floor)|all over)\b/,
  /\b(burst|broken|bursting|split) (pipe|pipes|main|hose|tank)\b|\bpipes? (has |have )?(burst|broke|exploded)\b/,
  /\b(injur(y|ed|ies)|hurt|bleeding|swallowed|chok(e|ed|ing)|poison\w*|allergic reaction|anaphyla\w*|unconscious|passed out|collapsed|can't breathe|chest pains?|heart attack|stroke|seizure|overdose|burns? (on|to) (my|his|her))\b/,
  /\b(almost|nearly) (got )?(hit|killed|died|crashed|electrocuted|burned)\b/,
  /\bbrakes?\b.{0,30}\b(fail(ed|ing)?|not working|stopped|gone|don't work)\b/,
  /\b(stuck|trapped|locked) (in|inside) (the|a|an|our|my) (lift|elevator|car|room|building|bathroom|vault)\b/,
  /\b(lift|elevator)\b.{0,20}\b(stuck|trapped)\b|\b(stuck|trapped) with (people|someone|kids|children)\b/,
  /\b(shattered|glass everywhere|broke down on the (highway|motorway|road)|stranded on)\b/,
  /\b(kid|child|baby|toddler|son|daughter|infant|newborn)\b.{0,20}\b(alone|locked in|inside|trapped)\b/,
  /\b(swell(ing|ed)|bulging|overheat(ing|ed)?|too hot to touch|hot to the touch)\b/,
  /\b(no heat|no heating|heating (is )?(off|out|broken|not working)|freezing|no power|no electricity|power (is )?(off|out)|cut off|shut off|disconnected)\b.{0,80}\b(elderly|baby|infant|newborn|child|kids|pregnant|disabled|medical|sick|oxygen|ventilator|dialysis|below zero|minus|-\d+)\b/,
  /\b(elderly|baby|infant|newborn|pregnant|disabled|sick)\b.{0,80}\b(no heat|no heating|freezing|no power|no electricity|cut off|shut off|no water)\b/,
  /\bmedical (device|equipment|alarm|alert)\b/,
  /\b-\s?\d+ ?(degrees|°)|\bbelow (zero|freezing)\b/,
];

/** High-stakes situations that are urgent when something is wrong. */
const STAKES: readonly RegExp[] = [
  /\b(ambulance|hospital|911|999|112|emergency room|the er|a&e|icu|surgery|chemo\w*|dialysis|paramedics?)\b/,
  /\b(medication|medications|medicine|meds|insulin|prescription|oxygen|inhaler|epipen|pills|glucose|heart|seizure|blood pressure)\b/,
  /\b(court|hearing|lawsuit|summons|subpoena|eviction|evict(ed)?|legal deadline|lawyer|attorney|bail|closing on (my|the) house|house closing)\b/,
  /\b(passport|visa)\b/,
  /\b(wheelchair|ventilator|oxygen concentrator|pacemaker|hearing aid|medical alarm|care alarm|on call|nurse|doctor)\b/,
  /\b(payroll|salary|salaries|wages|rent|mortgage|pay (my|our) (staff|employees|workers|team)|(staff|employees|workers) (get|be) paid|funeral)\b/,
];

/** Service outages and business impact: urgent on their own. */
const OUTAGE: readonly RegExp[] = [
  /\b(is|are|went|was|were|has been|have been|seems to be|seem to be|completely|totally|all|still|been)\s+(down|offline|dead)\b/,
  /\boutage\b/,
  /\bnothing (loads|works|is working)\b/,
  /\b(broken|down|not working|failing|offline) for (all|every|everyone|everybody)\b/,
  /\b(losing|costing (us|me)) (\w+ )?(sales|money|customers|business|thousands|hundreds|revenue|orders|bookings|clients|deals|\$|£|€)/,
  /\b(can't|cannot|unable to|couldn't) (take|accept|process|receive|make|ring up|run) (any |our |the )?(payments?|orders?|calls?|bookings?|sales?|transactions?|cards?|customers?|anyone|payroll)\b/,
  /\bcan't sell\b|\bcan't ring (anyone|anything|customers|people) up\b/,
  /\b(customers|employees|patients|staff|clients|guests|passengers|students|callers|drivers|agents|workers|users)\b.{0,20}\b(are |were )?(waiting|stuck|can't|cannot|unable|idle|sitting idle|turned away|locked out|stranded)\b/,
  /\bline of customers\b|\bqueue of (customers|people|patients)\b/,
  /\b(nobody|no one|none of (us|our \w+|the \w+)) (can|could|is able to) (pay|work|log in|login|access|buy|order|call|get in|check out|connect|see|use|open|load|start|do)\b/,
  /\b(whole|entire|all (of )?(our|my|the)) (team|company|office|staff|store|stores|shop|shops|call cent(er|re)|business|site|website|platform|system|network|fleet|branch(es)?|department|warehouse|registers|tills|employees|agents|drivers|locations|clinic|factory|restaurant)\b.{0,40}\b(can't|cannot|unable|down|offline|dead|stuck|idle|not working|locked out|broken|stopped|frozen|crashed)\b/,
  /\b(every|all (of )?(our|the)) (customers?|users?|clients?|orders?|emails?|calls?|payments?|transactions?)\b.{0,40}\b(errors?|fail\w*|bounc\w*|broken|down|can't|declin\w*|rejected)\b/,
  /\b(errors?|fail\w*|bounc\w*|crash\w*|declin\w*|reject\w*)\b.{0,40}\b(every|all) (customers?|users?|clients?|orders?|emails?|transactions?|cards?|payments?)\b/,
  /\b(emails?|calls?|payments?|orders?|transactions?) (all )?(bounce|bouncing|fail|failing|are failing|are being declined)\b/,
  /\b(registers?|tills?|terminals?|pos|point of sale|card readers?|card machines?|checkout|payment (system|page|gateway)|servers?|database|api)\b.{0,40}\b(down|dead|offline|stopped working|bricked|crashed|crashing|frozen|wiped|failing|returning errors|5\d\d)\b/,
  /\bbricked\b/,
  /\b(returning|throwing|giving|getting) (us )?(5\d\d|errors?)\b.{0,40}\b(for|since|every|all|minutes|hours|checkout|customers)\b|\b5\d\d errors?\b/,
  /\bproduction\b.{0,20}\b(down|broken|outage|stopped|halted)\b|\bprod (is )?down\b/,
  /\b(all|entire|whole|every)\b.{0,30}\b(data|database|files|records|backups?|customer data)\b.{0,30}\b(wiped|deleted|gone|lost|corrupt\w*|erased|disappeared|encrypted)\b|\b(wiped|deleted|erased)\b.{0,30}\b(all|entire|whole|everything)\b/,
  /\b(stranded|stuck at (the )?(airport|gate|station|border|terminal)|nowhere to (sleep|stay|go))\b/,
  /\b(overdrawn|can't pay (for )?(rent|bills|groceries|food|my rent))\b/,
  /\b(no|lost) (signal|service|connection|internet|phone line|dial tone)\b.{0,60}\b(business|shop|store|office|clinic|hospital|patients|customers|on call|nurse|doctor|work|alarm|elderly|emergency)\b/,
];

/** Time pressure; urgent only together with a problem (so "next day delivery asap?" is not). */
const TIME_PRESSURE: readonly RegExp[] = [
  /\b(asap|a\.s\.a\.p|urgent(ly)?|emergency|critical|immediately|right now|right away|as we speak|straight away|time[- ]critical|hurry)\b/,
  /\b(in|within) (an?|one|two|three|four|five|a few|half an|\d+) (minutes?|mins?|hours?|hrs?)\b/,
  /\b(\d+|an?|one|two|few) (hours?|hrs?|minutes?|mins?) (from now|left|away|to go)\b/,
  /\b(today|tonight|by tomorrow|tomorrow morning|first thing tomorrow|before midnight|at midnight|midnight|this (morning|afternoon|evening)|closes soon|closes today|before the \w+ closes?)\b/,
  /\b(deadline|due) (is )?(today|tonight|tomorrow|in)\b/,
  /\b(leaves?|leaving|starts?|departs?|departing|closes?|boards?|boarding|expires?|takes off) (in|at|soon)\b/,
  /\b(by|before) (\d{1,2}(:\d\d)? ?(am|pm)|noon|midnight|eod|end of (the )?day|close of business|tonight|tomorrow)\b/,
  /\b(at|stuck at|standing at|waiting at|in) (the )?(airport|gate|check-?in|counter|front desk|reception|border|terminal|station|pharmacy|checkout|till)\b/,
  /\b(need|want) (it|this|them|the \w+|my \w+)?\s*(\w+ )?(now|today|tonight)\b/,
  /\bboarding\b/,
  /\bhelp!/,
];

const PROBLEM: readonly RegExp[] = [
  /\b(can't|cannot|unable|couldn't|won't|doesn't|didn't|isn't|haven't|hasn't|aren't|not|no longer)\b/,
  /\b(locked out|blocked|suspended|frozen|declined|broken|broke|failed|fail|failing|missing|lost|wrong|charged|disappeared|cancell?ed|stuck|leaking|stopped|crashed|error|errors|problem|issue|never (arrived|came|processed|sent)|denied|refused|rejected|expired|wiped|deleted|stranded|no record|doesn't exist|cut off|shut off|disconnected|dead|bounced|overbooked)\b/,
  /\b(need (this |it )?(fixed|sorted|resolved)|help)\b/,
  /\b(run out|ran out|running out|no \w+ left|vanished|gone|died)\b/,
  /\b(need|needs|needed) (the |my |our |it |them )?(\w+ ){0,2}(reissued|resent|replaced|rebooked|fixed|unlocked|restored|reactivated|released|sent)\b/,
  /\bneed (access|to (get|log|sign) (in|into|back))\b/,
  /\bno (cash|money|signal|power|heat|heating|water|internet|car|room|seat|ticket|access|way)\b/,
];

/** "no rush", "not urgent": the customer said it can wait. Cancels time pressure only. */
const CALM: readonly RegExp[] = [
  /\b(no rush|no hurry|not urgent|not an emergency|not a big deal|no big deal|whenever|when you get a chance|take your time|not in a hurry|not in any hurry|no urgency|not time[- ]sensitive|at your convenience|low priority)\b/,
];

/** The problem is over ("was resolved", "thanks for fixing"): a past incident, not a current one. */
const RESOLVED: readonly RegExp[] = [
  /\b(was|were|got|been|is now|has been|have been|are now) (resolved|fixed|sorted|solved|restored|handled|closed|dealt with|refunded)\b/,
  /\bthanks? (you )?for (fixing|resolving|sorting|restoring|handling|helping with)\b/,
  /\b(works|working) (fine|again|now)\b/,
  /\b(found|recovered|got back) (it|my \w+|the \w+)\b.{0,40}\b(again|after all|pocket|jacket|bag|car|house|home|this morning|today|yesterday)\b|\bthought (i|we) (had )?(lost|misplaced)\b/,
  /\b(already|successfully) (resolved|fixed|sorted|handled|refunded|replaced|blocked|frozen)\b/,
];

/**
 * Not about a current incident: a hypothetical ("what happens if my card is stolen?"), a long
 * past one ("my account was hacked two years ago, so ..."), or a question about a feature or a
 * policy ("how do I protect my account from fraud?"). Checked per clause, for the alarms only.
 */
const NOT_CURRENT: readonly RegExp[] = [
  /^(if|in case|in the event|what if|suppose|supposing|hypothetically|should (my|someone|a|the)|imagine)\b/,
  /\b(what|how) (happens|would|do you handle|should i do|do i do|does it work|is (the|your) (process|procedure|policy))\b.{0,30}\b(if|when|in case)\b/,
  /\b(\d+|a|one|two|three|few|several|many) (years?|months?) ago\b|\blast (year|month)\b|\bin the past\b|\bback in (\d{4}|the day)\b|\bpreviously\b|\bmy previous\b/,
  /\b(how (do|can) i|how to|is it possible to|can i|can you help me) (set up|setup|enable|turn on|activate|add|get|protect|prevent|avoid|secure|learn)\b/,
  /\b(against|prevent(ing)?|protect(ion|ing)? (from|against)|avoid(ing)?|about|regarding|learn about|awareness of|tips on|policy (on|for)) (\w+ )?(fraud|scams?|hackers?|hacking|theft|phishing|fires?|gas leaks?|floods?|outages?)\b/,
  /\b(asking (for|on behalf of) (a|my|our) (friend|company|colleague|client|school|project|policy)|for (a|our|my|the) (company|policy|leaflet|training|course|school|project|article|research|presentation|safety) (policy|leaflet|training|course|project|article|research|presentation|page|guide|document|handbook))\b/,
];

/** Product names in Title Case ("Urgent Care Kit", "Emergency Blanket") are not a cry for help. */
const PRODUCT_NAME = /\b(Urgent|Emergency|Critical|Rush)\s+[A-Z][a-z]+/g;

/** "urgent care" (a kind of clinic) and the like are names, not urgency. */
const NOT_URGENCY_WORDS =
  /\b(urgent care|emergency contacts?|emergency (fund|kit|blanket|radio|light|lighting|number|preparedness|savings)|critical care|rush (delivery|shipping|order|fee|hour))\b/g;

/** Customers writing in Spanish, French or German: the few words that matter most. */
const FOREIGN_URGENT =
  /\b(urgente|urgencia|fraude|hackead[ao]|robad[ao]|dringend|betrug|gehackt|gestohlen|notfall|piraté|volée?|d'urgence)\b/;

/** Clause text that is about a current incident: hypothetical "if ..." tails are dropped. */
function currentPart(clause: string): string | null {
  if (any(NOT_CURRENT, clause)) return null;
  const i = clause.search(/\b(if|in case|in the event|whether)\b/);
  return i < 0 ? clause : clause.slice(0, i);
}

/** The rules alone (exported for the evaluation, which reports rules and model separately). */
export function detectUrgentByRules(text: string): boolean {
  const raw = text.replace(PRODUCT_NAME, ' ');
  const norm = normalise(raw).replace(NOT_URGENCY_WORDS, ' ');
  if (FOREIGN_URGENT.test(norm)) return true;
  const parts = clauses(norm);
  const calm = any(CALM, norm);
  const resolved = any(RESOLVED, norm);
  if (!resolved) {
    for (const clause of parts) {
      const current = currentPart(clause);
      if (current === null || current === '') continue;
      if (any(SECURITY, current) || any(SAFETY, current) || any(OUTAGE, current)) return true;
    }
  }
  if (calm || resolved) return false;
  // Time pressure and stakes may sit in a different clause than the problem they qualify.
  const live = parts.map(currentPart).filter((c): c is string => c !== null && c !== '');
  const joined = live.join(' . ');
  const pressing = any(TIME_PRESSURE, joined) || any(STAKES, joined);
  return pressing && any(PROBLEM, joined);
}

/**
 * Probability above which the learned urgency model alone makes a message urgent: chosen by
 * scripts/nlu/train.py (5-fold cross-validation, lowest threshold with precision >= 0.9) and
 * stored in the model file's meta.
 */
export function urgencyThreshold(): number {
  const t = loadModel('urgency').meta.threshold;
  return typeof t === 'number' ? t : 0.5;
}

/** Probability that the message is urgent according to the learned model (models/urgency.json). */
export function urgencyProbability(text: string): number {
  const model = loadModel('urgency');
  const { probabilities } = model.predict(text);
  return probabilities[model.labels.indexOf('urgent')];
}

export function detectUrgent(text: string): boolean {
  if (detectUrgentByRules(text)) return true;
  const norm = normalise(text).replace(NOT_URGENCY_WORDS, ' ');
  // The model is not trusted where the rules see that it is calm, resolved or hypothetical.
  if (any(CALM, norm) || any(RESOLVED, norm)) return false;
  // Hypothetical and long-past clauses ("hacked two years ago, so ...") are not read by it.
  const parts = clauses(norm);
  const live = parts.map(currentPart).filter((c): c is string => c !== null && c.trim() !== '');
  if (live.length === 0) return false;
  const input =
    live.length === parts.length && live.every((c, i) => c === parts[i]) ? text : live.join('. ');
  return urgencyProbability(input) >= urgencyThreshold();
}

// ---------------------------------------------------------------------------------------------
// Wants a human

const ASK =
  '(talk|speak|chat|connect|connected|transfer|transferred|escalate|escalated|reach|contact|discuss|get|give|need|want|have|prefer|put me through|put through|put me in touch|hand me over|hand me off|pass me|passed|send me|call)';
const WHO =
  '(human|humans|human being|person|people|agent|rep|representative|operator|supervisor|manager|advisor|adviser|specialist|staff|employee|somebody|someone|technician|team|department|boss|colleague|engineer|customer service|customer support|customer care|live chat|member of (your|the) team)';

const HUMAN: readonly RegExp[] = [
  // "can I talk to a real person", "connect me with a representative", "get a supervisor".
  // Not across "know if / whether / what": "I want to know if the team shipped it" asks a fact.
  new RegExp(
    `\\b${ASK}\\b(\\W+(?!(?:know|if|whether|what|when|how|why|about)\\b)[\\w']+){0,6}?\\W+${WHO}(?![\\w-])`,
  ),
  // "I'd like a supervisor to review this", "I want a manager on the line".
  /\b(like|want|need|get|request|prefer) (a|an|the|your|some) (real |live |actual |human |senior )?(human|person|agent|rep|representative|supervisor|manager|operator|advisor|adviser|employee|staff member|specialist)\b.{0,5}\b(to|on|who|that|please|now)\b/,
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
