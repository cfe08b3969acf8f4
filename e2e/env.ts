export const PORTS = { api: 8000, web: 3000 };
export const BASE_URL = `http://localhost:${PORTS.web}`;
export const ADMIN = { email: 'admin@e2e.uni-manager.test', password: 'Orchard-lantern-7319' };
