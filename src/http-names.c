/*
 * http-names.c -- the names HTTP gives things: a status's reason phrase and
 * a method's name.  Its own file so that http.c, the connection guard
 * (http-conn.c) and the metrics (metrics.c) share them without calling
 * each other in a circle.  Pure.
 */
#include "config.h"

#include "recircd.h"

/* The reason phrase of a status. */
const char *
http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 412: return "Precondition Failed";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 417: return "Expectation Failed";
	case 422: return "Unprocessable Entity";
	case 428: return "Precondition Required";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default:  return "Status";
	}
}

const char *
http_method_name(int m)
{
	switch (m) {
	case HTTP_M_GET:	return "GET";
	case HTTP_M_POST:	return "POST";
	case HTTP_M_PUT:	return "PUT";
	case HTTP_M_DELETE:	return "DELETE";
	case HTTP_M_HEAD:	return "HEAD";
	case HTTP_M_PATCH:	return "PATCH";
	case HTTP_M_OPTIONS:	return "OPTIONS";
	default:		return "OTHER";
	}
}
