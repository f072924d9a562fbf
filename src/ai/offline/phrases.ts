/**
 * The offline composer's wording: several variants per slot, per response style, so replies do
 * not sound canned and the same line is not said twice in a row. Placeholders: {name} (agent),
 * {company}, {order}, {email}, {title}.
 */
import type { ResponseStyle } from '../engine';

export type Styled = Readonly<Record<ResponseStyle, readonly string[]>>;

export const EMPATHY: Styled = {
  formal: [
    'I am very sorry to hear about this, and I apologise for the inconvenience.',
    'Please accept my sincere apologies for this experience.',
    'I am sorry for the trouble this has caused you.',
  ],
  professional: [
    "I'm sorry to hear about this, and I understand how frustrating it is.",
    "I'm sorry for the trouble, and I'd like to help put this right.",
    'I understand the frustration, and I apologise for the inconvenience.',
  ],
  friendly: [
    "Oh no, I'm really sorry about that!",
    "I'm so sorry you've had this experience, let's get it sorted together.",
    "That sounds really frustrating, and I'm sorry!",
  ],
  casual: [
    'Ugh, sorry about that!',
    "Sorry, that's not great at all.",
    "That's frustrating, sorry about the hassle.",
  ],
};

export const URGENCY: Styled = {
  formal: [
    'I understand that this is urgent, and I will be as quick as possible.',
    'I appreciate that this is time-sensitive.',
  ],
  professional: [
    "I understand this is urgent, so let's move quickly.",
    'I understand time matters here, so I will keep this quick.',
  ],
  friendly: [
    "I can see this is urgent, let's get on it right away!",
    "Got it, this is urgent, and I'm on it!",
  ],
  casual: ["Got it, it's urgent, let's be quick.", "Understood, let's sort this out fast."],
};

export const ASK_ORDER: Styled = {
  formal: [
    'Could you please provide your order number so that I can look into this?',
    'Kindly share your order number, and I will proceed from there.',
    'May I have your order number, please?',
  ],
  professional: [
    'Could you share your order number so I can look into this?',
    "What's your order number? That will let me check the details.",
    "Please send me your order number and I'll take it from there.",
  ],
  friendly: [
    'Could you share your order number? Then I can take a look for you!',
    "If you send me your order number, I'll dig into it right away!",
    "What's the order number? I'd love to get this moving for you.",
  ],
  casual: [
    "What's your order number?",
    "Send over your order number and I'll take a look.",
    'Got your order number handy? Drop it here.',
  ],
};

export const ASK_EMAIL: Styled = {
  formal: [
    'Could you please provide the email address associated with your account?',
    'Kindly share the email address registered to your account.',
  ],
  professional: [
    'Could you share the email address on your account?',
    "Which email address is your account registered with? I'll use it to find you.",
  ],
  friendly: [
    "Could you share the email address on your account? I'll take it from there!",
    'What email address did you sign up with? That helps me find your account!',
  ],
  casual: ["What's the email on your account?", 'Which email did you sign up with?'],
};

export const GOT_ORDER: Styled = {
  formal: [
    'Thank you, I have noted order {order}.',
    'Thank you for providing order number {order}.',
  ],
  professional: ["Thanks, I've noted order {order}.", 'Thanks for the order number, {order}.'],
  friendly: ["Thanks so much, I've got order {order}!", 'Perfect, order {order} is noted!'],
  casual: ['Cool, got order {order}.', 'Thanks, {order} noted.'],
};

export const GOT_EMAIL: Styled = {
  formal: [
    'Thank you, I have noted the email address {email}.',
    'Thank you for providing {email}.',
  ],
  professional: ["Thanks, I've noted {email}.", 'Thanks, I have your email address, {email}.'],
  friendly: ["Thanks, I've got {email}!", 'Perfect, {email} is noted!'],
  casual: ['Got it, {email}.', 'Thanks, {email} noted.'],
};

export const DONT_KNOW: Styled = {
  formal: [
    'I am afraid I do not have that information in the details {company} has given me.',
    'Unfortunately, I do not have information on that topic.',
  ],
  professional: [
    "I'm sorry, I don't have that information in what {company} has shared with me.",
    "I don't have that information, I'm afraid.",
  ],
  friendly: [
    "Hmm, I don't have that information, sorry!",
    "I wish I could answer that, but I don't have that information.",
  ],
  casual: [
    "Hmm, I don't have that information, sorry.",
    "Not sure about that one, I don't have that information.",
  ],
};

export const OFFER_HUMAN: Styled = {
  formal: [
    'If you wish, I can connect you with a member of the {company} team.',
    'Should you prefer, a member of our team can assist you directly.',
  ],
  professional: [
    "If you'd like, I can connect you with someone from the {company} team.",
    'I can also pass this to a human colleague if you prefer.',
  ],
  friendly: [
    "If you'd rather talk to a person, I can bring in someone from the {company} team!",
    "I'm also happy to connect you with one of my human teammates!",
  ],
  casual: ['Want me to get a human on this?', 'I can loop in someone from the team if you want.'],
};

export const HANDOFF: Styled = {
  formal: [
    'I am transferring you to a member of the {company} team, who will assist you shortly.',
    'A member of the {company} team will take over this conversation shortly.',
  ],
  professional: [
    "I'm connecting you with a member of the {company} team now; they'll be with you shortly.",
    "I've passed this conversation to a {company} team member, who will pick it up shortly.",
  ],
  friendly: [
    "I'm bringing in one of my {company} teammates right now, they'll be with you shortly!",
    'Hang tight, a real person from {company} will join you in a moment!',
  ],
  casual: [
    'Getting a human from {company} for you now, hang on.',
    "Passing you to someone on the {company} team, they'll be here soon.",
  ],
};

export const HANDOFF_DETAIL: Styled = {
  formal: ['In the meantime, providing your order number will help them assist you sooner.'],
  professional: ['Meanwhile, sharing your order number will help them get started.'],
  friendly: ['While you wait, sharing your order number will help them get started faster!'],
  casual: ['While you wait, drop your order number here to speed things up.'],
};

export const OFFERS: Styled = {
  formal: [
    'I can offer you a refund, an exchange or a replacement; please let me know which you would prefer.',
    'The available options are a refund, an exchange or a replacement. Which would you prefer?',
  ],
  professional: [
    'I can arrange a refund, an exchange or a replacement. Which would you prefer?',
    'Your options are a refund, an exchange or a replacement; just tell me which suits you.',
  ],
  friendly: [
    "I'm happy to sort out a refund, an exchange or a replacement for you. Which would you like?",
    'We can do a refund, an exchange or a replacement, whichever works best for you!',
  ],
  casual: [
    'Refund, exchange or replacement? Your call.',
    'I can do a refund, an exchange or a replacement, which one?',
  ],
};

export const CLOSING: Styled = {
  formal: [
    'You are most welcome. Thank you for contacting {company}, and have a pleasant day.',
    'It was a pleasure to assist you. Thank you for contacting {company}.',
  ],
  professional: [
    "You're welcome! Thanks for contacting {company}, and have a great day.",
    'Glad I could help. Have a good day!',
  ],
  friendly: [
    'You’re so welcome! It was lovely chatting with you, take care!',
    'Anytime! Thanks for stopping by {company}, have a wonderful day!',
  ],
  casual: ['No problem! Take care.', 'Anytime, have a good one!'],
};

export const ANYTHING_ELSE: Styled = {
  formal: ['Is there anything else I can assist you with?', 'May I help you with anything else?'],
  professional: ['Is there anything else I can help with?', 'Can I help with anything else today?'],
  friendly: [
    'Anything else I can help you with today?',
    'Is there anything else I can do for you?',
  ],
  casual: ['Anything else?', 'Need anything else?'],
};

export const HOW_CAN_I_HELP: Styled = {
  formal: ['How may I assist you today?', 'Please let me know how I may help you.'],
  professional: ['How can I help you today?', 'What can I help you with?'],
  friendly: ['How can I help you today?', "What can I do for you? I'm all ears!"],
  casual: ["What's up? How can I help?", 'What can I do for you?'],
};

export const GENERIC_HELP: Styled = {
  formal: ['I would be glad to help you with this.', 'I will do my best to assist you with this.'],
  professional: ["I'd be glad to help with that.", "Let's get this sorted for you."],
  friendly: ["I'd love to help with that!", "Happy to help, let's sort it out!"],
  casual: ['Sure, I can help with that.', "Let's sort that out."],
};

export const NON_ENGLISH: Styled = {
  formal: [
    'Thank you for your message. I currently answer in English only; please write to me in English, or I can connect you with a member of the {company} team.',
  ],
  professional: [
    'Thanks for your message. I currently answer in English only, so please write in English, or I can connect you with someone from the {company} team.',
  ],
  friendly: [
    'Thanks so much for your message! I currently answer in English only, so feel free to write in English, or I can bring in someone from the {company} team.',
  ],
  casual: [
    'Thanks for the message! I currently answer in English only, so try English, or I can get someone from {company} to help.',
  ],
};

export const GREETING: Styled = {
  formal: ['Good day, I am {name} from {company}. How may I assist you today?'],
  professional: ["Hi, I'm {name} from {company}. How can I help you today?"],
  friendly: ["Hi there! I'm {name} from {company}, how can I help you today?"],
  casual: ["Hey! I'm {name} from {company}. What can I do for you?"],
};

/** Introductions to a quoted knowledge passage, by passage kind. */
export const KNOWLEDGE_INTRO: Readonly<Record<'faq' | 'policy' | 'company', readonly string[]>> = {
  faq: [
    'Here is what our FAQ says about "{title}":',
    'From our FAQ, "{title}":',
    'Our help notes cover this ("{title}"):',
  ],
  policy: [
    'Our {title} says:',
    'According to our {title}:',
    'Here is the relevant part of our {title}:',
  ],
  company: [
    'Here is what I can tell you about {company}:',
    'From what {company} has shared with me:',
    'About {company}:',
  ],
};

/** When the same passage was quoted in the previous reply: point back to it instead of repeating. */
export const KNOWLEDGE_REPEAT: readonly string[] = [
  'As I mentioned above, the "{title}" information covers this.',
  'That is the "{title}" information I shared just before.',
];

export const TELL_MORE: Styled = {
  formal: [
    'Could you please describe the issue in a little more detail?',
    'Would you kindly tell me more about what happened?',
  ],
  professional: [
    'Could you tell me a bit more about what happened?',
    'Can you share a few more details about the issue?',
  ],
  friendly: [
    'Could you tell me a little more about what happened?',
    "Tell me a bit more and we'll figure it out together!",
  ],
  casual: ['What happened exactly?', 'Tell me a bit more?'],
};
