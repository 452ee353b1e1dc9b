/*
 * loadgen.c -- a small HTTP load generator for the crash test.
 *
 * N threads each keep one connection to recircd and POST pickups with
 * references PREFIX-0, PREFIX-1, ... until MAX are sent or the server goes
 * away (it is killed on purpose).  Every acknowledged submission (2xx) is
 * appended to the log as "ID REFERENCE LAT" and flushed at once, so the
 * test knows exactly what the daemon promised before it died.
 *
 * usage: loadgen -a HOST:PORT -t TOKEN -p PREFIX -o ACKLOG [-c CONNS] [-n MAX]
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char	*host = "127.0.0.1", *token, *prefix = "lg";
static int		 port;
static long		 max_n = 100000;
static long		 next_i;
static FILE		*acklog;
static char		 from[11], to[11];
static pthread_mutex_t	 lock = PTHREAD_MUTEX_INITIALIZER;

static int
connect_to(void)
{
	struct sockaddr_in	sin;
	int			fd, on = 1;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	inet_pton(AF_INET, host, &sin.sin_addr);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		close(fd);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	return fd;
}

static int
send_all(int fd, const char *buf, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) <= 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

/* Read one response; returns the status, -1 when the connection died. */
static int
read_response(int fd, char *body, size_t bodymax)
{
	char	 buf[16384], *hdr_end, *cl;
	size_t	 have = 0, need;
	ssize_t	 n;
	int	 status;
	long	 clen;

	for (;;) {
		if ((n = read(fd, buf + have, sizeof(buf) - 1 - have)) <= 0)
			return -1;
		have += n;
		buf[have] = '\0';
		if ((hdr_end = strstr(buf, "\r\n\r\n")) != NULL)
			break;
		if (have == sizeof(buf) - 1)
			return -1;
	}
	if (sscanf(buf, "HTTP/1.%*d %d", &status) != 1)
		return -1;
	cl = strcasestr(buf, "Content-Length:");
	clen = cl ? strtol(cl + 15, NULL, 10) : 0;
	need = (hdr_end + 4 - buf) + clen;
	while (have < need && have < sizeof(buf) - 1) {
		if ((n = read(fd, buf + have, sizeof(buf) - 1 - have)) <= 0)
			return -1;
		have += n;
	}
	buf[have] = '\0';
	snprintf(body, bodymax, "%s", hdr_end + 4);
	return status;
}

static void *
worker(void *arg)
{
	char	 body[1024], req[2048], reply[16384], *idp;
	long	 i;
	int	 fd, len, status;
	double	 lat;

	if ((fd = connect_to()) == -1)
		return NULL;
	for (;;) {
		pthread_mutex_lock(&lock);
		i = next_i++;
		pthread_mutex_unlock(&lock);
		if (i >= max_n)
			break;
		lat = 50.0 + (i % 10000) / 10000.0;
		len = snprintf(body, sizeof(body), "{\"reference\":\"%s-%ld\","
		    "\"location\":{\"lat\":%.4f,\"lon\":-1.5},\"window\":"
		    "{\"from\":\"%s\",\"to\":\"%s\"},\"items\":[{\"category\":"
		    "\"fridge_freezer\",\"quantity\":1,\"condition\":\"working\"}"
		    "]}", prefix, i, lat, from, to);
		snprintf(req, sizeof(req), "POST /v1/pickups HTTP/1.1\r\n"
		    "Host: %s\r\nAuthorization: Bearer %s\r\nContent-Type: "
		    "application/json\r\nContent-Length: %d\r\n\r\n%s", host,
		    token, len, body);
		if (send_all(fd, req, strlen(req)) == -1)
			break;
		if ((status = read_response(fd, reply, sizeof(reply))) == -1)
			break;
		if (status / 100 != 2 || (idp = strstr(reply, "\"id\":")) ==
		    NULL)
			continue;
		pthread_mutex_lock(&lock);
		fprintf(acklog, "%ld %s-%ld %.4f\n", strtol(idp + 5, NULL, 10),
		    prefix, i, lat);
		fflush(acklog);
		pthread_mutex_unlock(&lock);
	}
	close(fd);
	return NULL;
}

int
main(int argc, char *argv[])
{
	pthread_t	*th;
	const char	*out = NULL;
	char		*colon;
	int		 ch, conns = 8, i;
	time_t		 now = time(NULL);
	struct tm	 tm;

	while ((ch = getopt(argc, argv, "a:t:p:o:c:n:")) != -1) {
		switch (ch) {
		case 'a':
			host = strdup(optarg);
			if ((colon = strrchr(host, ':')) == NULL)
				return 2;
			*colon = '\0';
			port = atoi(colon + 1);
			break;
		case 't': token = optarg; break;
		case 'p': prefix = optarg; break;
		case 'o': out = optarg; break;
		case 'c': conns = atoi(optarg); break;
		case 'n': max_n = atol(optarg); break;
		default:
			return 2;
		}
	}
	if (token == NULL || out == NULL || port == 0) {
		fprintf(stderr, "usage: loadgen -a HOST:PORT -t TOKEN -p PREFIX "
		    "-o ACKLOG [-c CONNS] [-n MAX]\n");
		return 2;
	}
	if ((acklog = fopen(out, "a")) == NULL) {
		perror(out);
		return 1;
	}
	now += 86400;
	gmtime_r(&now, &tm);
	strftime(from, sizeof(from), "%Y-%m-%d", &tm);
	now += 3 * 86400;
	gmtime_r(&now, &tm);
	strftime(to, sizeof(to), "%Y-%m-%d", &tm);
	th = calloc(conns, sizeof(*th));
	for (i = 0; i < conns; i++)
		pthread_create(&th[i], NULL, worker, NULL);
	for (i = 0; i < conns; i++)
		pthread_join(th[i], NULL);
	free(th);
	fclose(acklog);
	return 0;
}
