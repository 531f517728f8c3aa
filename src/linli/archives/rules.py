"""电子台账与档案: the vocabulary of archive boxes and their items.

Pure: no database.
"""

# "一盒档案" (000 篇4, the "四个一" of 扫黄打非进基层): what a station's box holds, in this order.
DEFAULT_CATEGORIES = ("上级文件", "本级文件", "工作方案", "活动记录", "汇报", "总结", "报表", "图片")

# Where an item's text stands in the search index; a file's text is extracted in the background.
PENDING = "pending"
INDEXED = "indexed"
FAILED = "failed"
INDEX_STATE_LABELS = {PENDING: "待索引", INDEXED: "已索引", FAILED: "无法提取文字"}
