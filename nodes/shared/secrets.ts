/**
 * Removes secrets from text that may reach node output, error messages or logs.
 * Known values (app secret, every access token this process has held) are replaced,
 * and so is anything that looks like a token in a URL query or an auth header.
 */
export function scrubText(text: string, secrets: Iterable<string>): string {
	let out = text;
	for (const secret of secrets) {
		if (secret && secret.length >= 4) out = out.split(secret).join('***');
	}
	return out
		.replace(/(access_token=)[^&\s"'<>]+/gi, '$1***')
		.replace(/(x-acs-dingtalk-access-token["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, '$1***')
		.replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]+/g, '$1***');
}
