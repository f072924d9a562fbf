/**
 * Intent playbooks for the offline composer: what to say for each fine intent (the Bitext
 * customer-support labels the offline NLU predicts) and for each coarse intent when no fine label
 * is known. The engine has no access to orders or accounts, so the lines never claim an action
 * was done: they explain the way forward and collect what a colleague will need.
 */
import type { CoarseIntent } from '../engine';

export interface Playbook {
  /** Detail to ask for when the customer has not given it yet. */
  needs?: 'order' | 'email';
  /** Lines when the needed detail is still missing (or none is needed). */
  lines: readonly string[];
  /** Lines once the detail is known ({order} / {email} filled in). */
  known?: readonly string[];
  /** Offer refund / exchange / replacement. */
  offers?: boolean;
  /** Offer a human even when the customer is calm (the engine cannot finish this alone). */
  offerHuman?: boolean;
  /** A question answered from the knowledge base: say "I don't know" when nothing matches. */
  informational?: boolean;
}

export const FINE_PLAYBOOKS: Readonly<Record<string, Playbook>> = {
  track_order: {
    needs: 'order',
    lines: ['I can help you find out where your order is.', "Let's find out where your order is."],
    known: [
      'The shipping confirmation email for order {order} has a tracking link with the latest status.',
      'The tracking link in the shipping confirmation for order {order} shows where it is right now.',
    ],
    offerHuman: true,
  },
  cancel_order: {
    needs: 'order',
    lines: ['I can help you cancel your order.', "Let's look at cancelling your order."],
    known: [
      'Orders that have not shipped yet can usually be cancelled; if order {order} has already shipped, a return and refund is the way to go.',
      'If order {order} has not shipped yet it can usually be cancelled; otherwise you can return it for a refund.',
    ],
    offerHuman: true,
  },
  change_order: {
    needs: 'order',
    lines: ['I can help you change your order.', "Let's see what can be changed on your order."],
    known: [
      'Changes to order {order} are possible until it ships; tell me what you would like to change.',
      'Let me know what you would like to change on order {order}; it can be adjusted until it ships.',
    ],
    offerHuman: true,
  },
  change_shipping_address: {
    needs: 'order',
    lines: [
      'I can help you update the delivery address.',
      "Let's get the delivery address updated.",
    ],
    known: [
      'Please send the new address for order {order}; it can be changed until the order ships.',
      'What is the new delivery address for order {order}? It can be updated until it ships.',
    ],
    offerHuman: true,
  },
  set_up_shipping_address: {
    lines: [
      'You can add a shipping address in your account settings, under addresses.',
      'Shipping addresses are managed in your account settings, where you can add a new one.',
    ],
  },
  get_refund: {
    needs: 'order',
    lines: ['I can help you with a refund.', "Let's get your refund request started."],
    known: ['I can help with a refund for order {order}.', "Let's sort out order {order} for you."],
    offers: true,
    offerHuman: true,
  },
  // Product intents read by rule in the NLU (the bitext data has no returns or exchanges).
  return_item: {
    needs: 'order',
    lines: ['I can help you return that.', "Let's get your return started."],
    known: [
      "Let's start the return for order {order}.",
      'I can help you return the items from order {order}.',
    ],
    offers: true,
    offerHuman: true,
  },
  exchange_item: {
    needs: 'order',
    lines: ['Happy to help you exchange that.', "Let's set up your exchange."],
    known: [
      "Let's set up the exchange for order {order}.",
      'I can help you exchange the items from order {order}.',
    ],
    offers: true,
    offerHuman: true,
  },
  track_refund: {
    needs: 'order',
    lines: ['I can help you check on your refund.', "Let's check on your refund."],
    known: [
      'Refunds for order {order} go back to the original payment method, and banks can take a few business days to show them.',
      'A refund for order {order} is returned to the original payment method; your bank may take a few days to show it.',
    ],
    offerHuman: true,
  },
  check_refund_policy: { informational: true, lines: [] },
  complaint: {
    needs: 'order',
    lines: [
      'Thank you for telling us; your feedback matters to us.',
      'I want to make sure this gets put right.',
    ],
    known: ['I have the details for order {order}.', "Let's put things right with order {order}."],
    offers: true,
    offerHuman: true,
  },
  review: {
    lines: [
      'Thank you for taking the time to share your feedback.',
      'Thanks for the feedback, it really helps us improve.',
    ],
  },
  payment_issue: {
    needs: 'order',
    lines: [
      "I can help with the payment problem. Please don't share full card details here.",
      'Let me help with the payment. For your safety, please never send full card numbers in chat.',
    ],
    known: [
      'A payment problem on order {order} is often a declined card or a bank check; trying again or another payment method usually solves it.',
      'For order {order}, a declined or held payment is usually cleared by retrying or using another payment method.',
    ],
    offerHuman: true,
  },
  check_payment_methods: { informational: true, lines: [] },
  check_invoice: {
    needs: 'order',
    lines: ['I can help you with your invoice.', "Let's find your invoice."],
    known: [
      'The invoice for order {order} is in your account under order history.',
      'You can find the invoice for order {order} in your order history.',
    ],
  },
  get_invoice: {
    needs: 'order',
    lines: ['I can help you get your invoice.', "Let's get you a copy of your invoice."],
    known: [
      'The invoice for order {order} can be downloaded from your order history.',
      'You can download the invoice for order {order} from your order history.',
    ],
  },
  check_cancellation_fee: { informational: true, lines: [] },
  delivery_options: { informational: true, lines: [] },
  delivery_period: { informational: true, lines: [] },
  place_order: {
    lines: [
      'You can place an order on our website: add the items to your basket and check out.',
      'Ordering is simple: add what you need to your basket and go to checkout.',
    ],
  },
  recover_password: {
    needs: 'email',
    lines: [
      'Use the "Forgot password" link on the sign-in page, and a reset link will be emailed to you.',
      'The "Forgot password" link on the sign-in page sends you a reset link by email.',
    ],
    known: [
      'A reset link from the "Forgot password" page goes to {email}; check your spam folder if it does not arrive.',
      'Request a reset on the "Forgot password" page and the link will go to {email}; it may land in spam.',
    ],
  },
  registration_problems: {
    needs: 'email',
    lines: ['I can help you with signing up.', "Let's get your registration sorted."],
    known: [
      'If {email} is already registered, the "Forgot password" link will get you in; otherwise a colleague can check the account.',
      'For {email}, try signing in with "Forgot password" first; if that fails, our team can look into the account.',
    ],
    offerHuman: true,
  },
  create_account: {
    lines: [
      'You can create an account with the "Sign up" button; it only takes an email address and a password.',
      'Signing up takes a minute: choose "Sign up" and enter your email address and a password.',
    ],
  },
  edit_account: {
    needs: 'email',
    lines: [
      'You can update most account details in your account settings.',
      'Account details can be changed in your account settings.',
    ],
    known: [
      'Once signed in with {email}, your account settings let you change your details.',
      'Sign in with {email} and open your account settings to change your details.',
    ],
  },
  switch_account: {
    lines: [
      'To switch accounts, sign out and sign back in with the other account.',
      'Sign out, then sign in with the account you want to use.',
    ],
  },
  delete_account: {
    needs: 'email',
    lines: ['I can help you close your account.', "Let's look at closing your account."],
    known: [
      'A colleague will need to confirm the closure of the account for {email}.',
      'Closing the account for {email} needs a quick confirmation from our team.',
    ],
    offerHuman: true,
  },
  newsletter_subscription: {
    lines: [
      'You can subscribe or unsubscribe from the newsletter in your account settings or with the link at the bottom of any newsletter.',
      'Every newsletter has an unsubscribe link at the bottom, and your account settings let you subscribe again.',
    ],
  },
  contact_customer_service: { informational: true, offerHuman: true, lines: [] },
  contact_human_agent: {
    offerHuman: true,
    lines: ['I can connect you with a member of our team.'],
  },
};

/** Fallbacks when the NLU gives no fine label (or one this table does not know). */
export const COARSE_PLAYBOOKS: Readonly<Record<CoarseIntent, Playbook>> = {
  question: { informational: true, lines: [] },
  support: { lines: [] },
  purchase: {
    lines: ['I can help you with your purchase.', 'Happy to help you choose and order.'],
  },
  cancellation: {
    lines: ['I can help you with the cancellation.', "Let's look at the cancellation."],
    offerHuman: true,
  },
  general: { lines: [] },
};
