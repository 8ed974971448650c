FROM alpine
LABEL emoji="🐳🚀" math="𝔸𝔹ℂ"
RUN echo "🐳 $WHALE 🐳" && echo 𝄞
COPY 📁/ /data/
