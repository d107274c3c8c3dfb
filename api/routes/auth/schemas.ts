import { z } from 'zod';

export const LoginSchema = z.object({
  userId: z.string().trim().min(1, 'userId must not be empty').max(64),
  password: z.string().min(1, 'password must not be empty').max(200),
});

export const GrantViewSchema = z.object({
  role: z.string(),
  village: z.string().optional(),
  town: z.string().optional(),
});

export const UserViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  roles: z.array(GrantViewSchema),
});

export const LoginResultSchema = z.object({
  user: UserViewSchema,
  /** for API clients: send as `Authorization: Bearer <token>` */
  token: z.string(),
  expiresAt: z.string(),
});
