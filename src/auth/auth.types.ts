export type Role = 'user' | 'admin';

/** The caller, as established by a verified access token and a live user record. */
export interface AuthUser {
  id: string;
  name: string;
  email: string;
  role: Role;
}
