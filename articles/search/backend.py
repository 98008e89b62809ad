from haystack.backends.whoosh_backend import WhooshEngine


class NewsWhooshEngine(WhooshEngine):
    pass
